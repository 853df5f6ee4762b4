/**
 * The Pulumi program (`pulumi up`): the stack name picks the environment. An unknown stack fails with the valid
 * names before any resource is registered.
 */
import * as pulumi from '@pulumi/pulumi';
import { getEnvironment } from '../environments';

const env = getEnvironment(pulumi.getStack());

/** The clusters this stack manages, by region. */
export const clusters = env.regions.map((r) => ({ region: r.name, cluster: r.clusterName, weight: r.weight }));
