import { Duration } from 'cdk8s';
import { DURATION, PropShape, shape, STRING_MAP } from '../../private/prop-guard';

/**
 * What Velero does when a hook command fails.
 * @see https://velero.io/docs/main/backup-hooks/
 */
export enum HookErrorMode {
  /** Log the failure and go on with the backup. */
  CONTINUE = 'Continue',
  /** Mark the backup as failed (or partially failed). */
  FAIL = 'Fail',
}

/**
 * A command Velero runs inside a pod's container before (or after) it backs up that pod's volumes, such as a
 * consistent database snapshot. Constructs that hold data offer these; `VeleroSchedule` consumes them.
 * @see https://velero.io/docs/main/backup-hooks/
 */
export interface BackupHook {
  /** Hook name (unique within a Schedule). */
  readonly name: string;
  /** Namespace of the pods the hook runs in. */
  readonly namespace: string;
  /** Labels selecting the pods the hook runs in. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Container the command runs in. */
  readonly container: string;
  /** Command and arguments (exec form, no shell unless the first element is one). */
  readonly command: readonly string[];
  /** What happens when the command fails. */
  readonly onError: HookErrorMode;
  /** How long Velero waits for the command. */
  readonly timeout: Duration;
}

/** A construct whose data needs hooks around Velero's volume backup to be consistent. */
export interface IBackupHookProvider {
  /** Hooks to run before the volume backup. */
  readonly preBackupHooks: readonly BackupHook[];
  /** Hooks to run after the volume backup. */
  readonly postBackupHooks: readonly BackupHook[];
}

/**
 * The runtime shape of a {@link BackupHook} (hooks can come from plain JavaScript). Strings are loose where the
 * Schedule's hook rules check them with a better message.
 */
export const BACKUP_HOOK_SHAPES = {
  name: shape.required(shape.string({ maxLength: 253, allowEmpty: true })),
  namespace: shape.required(shape.string({ maxLength: 253, allowEmpty: true })),
  podLabels: shape.required(STRING_MAP),
  container: shape.required(shape.string({ maxLength: 253, allowEmpty: true })),
  command: shape.required(shape.list(shape.string({ maxLength: 1024 * 1024, allowEmpty: true }))),
  onError: shape.required(shape.oneOf(HookErrorMode)),
  timeout: shape.required(DURATION),
} satisfies { readonly [K in keyof Required<BackupHook>]: PropShape };

/** The runtime shape of what an {@link IBackupHookProvider} offers. */
export const BACKUP_HOOK_PROVIDER_SHAPES = {
  preBackupHooks: shape.required(shape.list(shape.object(BACKUP_HOOK_SHAPES))),
  postBackupHooks: shape.required(shape.list(shape.object(BACKUP_HOOK_SHAPES))),
} satisfies { readonly [K in keyof Required<IBackupHookProvider>]: PropShape };
