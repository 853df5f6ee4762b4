/**
 * The Pulumi program (`pulumi up`; `Pulumi.yaml` runs the compiled `dist-lib/stacks/pulumi.js`) for the bundled
 * environments: the stack name picks the environment. See `pulumi-program.ts` for what it registers and the
 * stack configuration it reads.
 *
 * The module exports the program as a function (Pulumi calls an exported function and uses its result as the
 * stack outputs), so importing it registers nothing.
 */
import { platformProgram } from './pulumi-program';

export = platformProgram();
