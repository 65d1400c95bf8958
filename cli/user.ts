import { matches } from '../shared/core/dead-letter-view.js';
import { explainUser, type ExplainDeps } from '../shared/core/explain-user.js';
import type { DeadLetterLookup } from '../shared/core/ports/index.js';
import type { SignInVerdict } from '../shared/core/explain-verdict.js';
import { provisionOnDemand } from '../shared/core/provision-on-demand.js';
import { listDeadLetters } from '../shared/core/replay.js';
import { redact } from '../shared/core/redact.js';
import { loadReconcileConfig, queueUrlFromEnv } from '../shared/config/operator-config.js';
import { composeUserCommand, type cliQueues, type CliClients } from '../shared/composition/cli.js';
import { resolveQueueUrl } from './aws.js';
import { commandArgs, UsageError, type CliIo } from './io.js';
import { ok, type Outcome } from './outcome.js';
import { LIST_VISIBILITY_SECONDS } from './replay.js';
import { printApplied, printExplanation } from './user-screen.js';

export const USER_HELP = `Usage: connect-sso-sync user <username | Connect user id | email> [options]

Why can't this agent sign in? Explains one Connect user end to end: the Connect user (security profiles, the email
the sync would use and where it came from), its link (created or linked, managed groups, a confirmed deletion, a
remembered failure), its Identity Center user (managed and protected groups, other doors, application assignment),
the dead-letter messages about it (read, never removed), then the verdict and exactly what a sync would change now
(the sync's own code, run over ports that record writes instead of making them).

Read-only by default. Finding a user by email costs more, cheapest first: a SearchUsers on the Username; the Identity
Center user with that email and its link; else one ListUsers call per 1,000 users and at most 20 DescribeUser over
the users whose Username looks like the email.

Options:
  --apply            provision on demand: run now the use case the queue would run (the sync; for a Connect user
                     gone, the deprovision, confirmed with Connect first) and print each step's outcome
  --json             the same facts as one JSON document
  --stage <stage>    find the dead-letter queues by name when DLQ_URL / EVENTS_DLQ_URL are not set
  -h, --help         this help

Configuration (environment): as for reconcile (CONNECT_INSTANCE_ID, IDENTITY_STORE_ID, LINKS_TABLE, GROUP_MAPPING,
PROTECTED_GROUPS, ASSIGNMENT_MODE, ...); DLQ_URL and EVENTS_DLQ_URL for the dead-letter section (skipped when unset).
The screen shows names and emails from your own directories; nothing of it is logged.
Exit status: 0 the user can sign in as mapped, 1 it cannot (the verdict says why), 2 could not check (usage,
configuration, credentials, an AWS error).`;

const OPTIONS = { apply: { type: 'boolean', default: false }, stage: { type: 'string' } } as const;

/** Can sign in as mapped: ok; cannot (or not as mapped): a problem; a verdict that could not be reached: unchecked. */
export const outcomeOf = (verdict: SignInVerdict): Outcome => ({ result: !verdict.checked ? 'unchecked' : verdict.canSignIn ? 'ok' : 'problem' });

export async function runUser(argv: string[], io: CliIo, clients?: CliClients): Promise<Outcome> {
  const args = commandArgs(argv, OPTIONS, USER_HELP, io, true);
  if (!args) return ok();
  const { values, positionals } = args;
  const who = positionals[0]?.trim();
  if (!who) throw new UsageError('name the user: connect-sso-sync user <username | Connect user id | email>');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}" (one user at a time)`);
  const config = loadReconcileConfig(io.env);
  // Whatever fails here (an AWS error, credentials, a queue that does not exist) reaches main: could not check, exit 2.
  const { queues, ...ports } = composeUserCommand(config, clients);
  const deps: ExplainDeps = { ...ports, deadLetters: await deadLetterLookup(queues, io.env, values.stage) };
  const before = await explainUser(deps, who);
  if (!values.apply) {
    if (values.json) io.out(JSON.stringify(before, null, 2));
    else printExplanation(before, io);
    return outcomeOf(before.verdict);
  }
  const applied = await provisionOnDemand(deps.sync, before);
  const after = applied ? await explainUser(deps, who) : before;
  if (values.json) {
    io.out(JSON.stringify({ ...before, applied: applied ?? null, after: after.verdict }, null, 2));
  } else {
    printExplanation(before, io);
    printApplied(applied, after, io);
  }
  return outcomeOf(after.verdict);
}

/** The dead-letter queues configured (by variable, or by name with --stage); undefined when none is. */
async function deadLetterLookup(found: ReturnType<typeof cliQueues>, env: NodeJS.ProcessEnv, stage?: string): Promise<DeadLetterLookup | undefined> {
  const urls = await Promise.all(
    (['sync-dlq', 'events-dlq'] as const).map((role) => (stage === undefined ? queueUrlFromEnv(role, env) : resolveQueueUrl(found.urls, role, env, stage))),
  );
  const queues = urls.filter((url): url is string => url !== undefined).map(found.queue);
  if (queues.length === 0) return undefined;
  return {
    async about(connectUserId, username) {
      const users = [connectUserId, ...(username ? [username] : [])];
      const lists = await Promise.all(queues.map((queue) => listDeadLetters(queue, { visibilitySeconds: LIST_VISIBILITY_SECONDS })));
      // As replay list does: an address inside an error message is redacted, on the screen and in --json alike.
      return lists.flatMap((list) => list.rows.filter((row) => matches(row, { users })).map((row) => ({ ...row, message: redact(row.message) })));
    },
  };
}
