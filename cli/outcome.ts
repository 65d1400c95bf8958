/**
 * What a command ends with. Commands print their report (a screen, a table, JSON) and return an Outcome; cli/main.ts
 * alone prints failures on stderr and turns the outcome into the exit status, by one policy for every command:
 *
 *   0  done, and nothing is wrong (healthy, can sign in, every check or action passed, a plan computed)
 *   1  done, and the answer is that something is wrong (needs attention, cannot sign in, a check or an action failed)
 *   2  could not do its work: wrong usage, configuration, credentials, region, an unreachable endpoint, an AWS error
 *      that stopped the command, or a source the answer depends on that could not be read
 *
 * A command that throws ends with 2: main prints the error as one line (`describeFailure`).
 */
export type Result = 'ok' | 'problem' | 'unchecked';

export interface Outcome {
  result: Result;
  /** What failed along the way, one line each: main prints them on stderr after the report (the exit status is `result`'s). */
  failures?: string[];
}

export const EXIT_CODES: Readonly<Record<Result, number>> = { ok: 0, problem: 1, unchecked: 2 };

export const exitCodeOf = (outcome: Outcome): number => EXIT_CODES[outcome.result];

const outcome = (result: Result, failures: string[] = []): Outcome => (failures.length > 0 ? { result, failures } : { result });

export const ok = (failures?: string[]): Outcome => outcome('ok', failures);
export const problem = (failures?: string[]): Outcome => outcome('problem', failures);
export const unchecked = (failures?: string[]): Outcome => outcome('unchecked', failures);

/** 1 when any of `failed` is true, else 0: the commands whose report counts failures (replay run, reconcile, doctor). */
export const okUnless = (failed: boolean, failures?: string[]): Outcome => (failed ? problem(failures) : ok(failures));
