import * as aws from '@pulumi/aws';
import { DnsValidatedCertificate } from '../../lib/cloud/certificates';
import { PlannedResource, ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';

const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};

function build(domainName: string): Promise<ProgramRun> {
  return runUnderMocks('test', {}, () => {
    const provider = new aws.Provider('aws', { region: 'eu-west-1' });
    const cert = new DnsValidatedCertificate('api', { domainName, zoneId: 'ZEXAMPLE' }, { provider });
    return { arn: cert.arn };
  });
}

describe('DnsValidatedCertificate', () => {
  test('an ACM certificate for the host, validated by a record in the zone, in the provider\'s region; the ARN once validated', async () => {
    const run = await build('api.eu-west-1.example.com');
    expect(one(run, 'aws:acm/certificate:Certificate', 'api').inputs).toMatchObject({
      domainName: 'api.eu-west-1.example.com', validationMethod: 'DNS', keyAlgorithm: 'EC_prime256v1', options: { certificateTransparencyLoggingPreference: 'ENABLED' },
    });
    expect(one(run, 'aws:acm/certificate:Certificate', 'api').region).toBe('eu-west-1');
    expect(one(run, 'aws:route53/record:Record', 'api-validation-record').inputs).toMatchObject({
      zoneId: 'ZEXAMPLE', name: '_plan.api.eu-west-1.example.com.', type: 'CNAME', records: ['_plan.acm-validations.aws.'], ttl: 300,
    });
    expect(one(run, 'aws:acm/certificateValidation:CertificateValidation', 'api-validation').inputs).toMatchObject({
      validationRecordFqdns: ['_plan.api.eu-west-1.example.com'],
    });
    expect(run.outputs.arn).toBe('arn:aws:acm:eu-west-1:123456789012:certificate/api');
  });

  test.each([['API.example.com'], ['localhost'], ['*.example.com']])('refuses the host name %s', async (host) => {
    await expect(build(host)).rejects.toThrow(`DnsValidatedCertificate 'api': domainName ("${host}")`);
  });
});
