import type { Change } from "../model/change";
import type { Directory, DirectoryErrorInfo, JobStore, BackupStore } from "../ports";

/** One change a step is about to write. */
export interface StepWork {
  readonly change: Change;
  /**
   * The step was found `inFlight`: an earlier attempt sent (or was about to send) its write and stopped
   * before recording the answer. The object is re-read and only what is still missing is written.
   */
  readonly resumed: boolean;
}

/** How one step of one change ended. */
export interface StepResult {
  readonly seq: number;
  readonly status: "applied" | "failed";
  /** Graph's message (with the link and target for link failures), or why it could not be tried. */
  readonly message?: string;
}

/** What the step writers work with. */
export interface StepEnv {
  readonly directory: Directory;
  readonly store: BackupStore & JobStore;
  readonly tenantId: string;
  readonly backupId: string;
  /** Attributes the recovery may write (null: all), for the links of restored objects. */
  readonly attributes: ReadonlySet<string> | null;
  /** Objects re-read or linked at the same time. */
  readonly concurrency: number;
  /** Groups whose members and owners this recovery must not write (see `protectedGroupsFor`). */
  readonly protectedGroups: ReadonlySet<string>;
}

/** Graph's message for a failed write. */
export function graphMessage(error: DirectoryErrorInfo | undefined): string {
  return error?.message || "Microsoft Graph refused the write without saying why.";
}
