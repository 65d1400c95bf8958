/**
 * `npm start`: the administrator's day on the local default, no AWS account needed. Starts the emulator and the
 * pipeline (the deployed rule, queue and syncUser function), creates one agent the way the admin website does,
 * uploads a bulk-upload CSV, shows progress, and reports what Identity Center holds at the end.
 *   npm start -- [--csv events/bulk-upload.csv] [--speed 10] [--serve [--port 4566]] [--version]
 */
import './quiet-sdk-warning.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../package.json';
import { createAgent, deleteAgent, NEW_AGENT_ROUTING_PROFILE, updateIdentityInfo, updateSecurityProfiles, type NewAgent } from './admin.js';
import { CsvError, NEW_INSTANCE, readBulkUpload } from './bulk-upload.js';
import { claimLogFile, logsToFile, outcomeLine } from './log-file.js';
import { awsExamples } from './serve-hints.js';
import { startPipeline, type Pipeline } from './pipeline.js';
import { buildReport, printReport, type DayStory } from './report.js';
import { ConfigError, exportLines, localSettings, settingsLines } from './settings.js';

export const USAGE = `Usage: npm start -- [options]

Runs connect-sso-sync end to end against a local AWS emulator (no AWS account needed).

Options:
  --csv <path>     Amazon Connect bulk-upload CSV to upload (default: events/bulk-upload.csv)
  --speed <n>      run AWS's clock n times faster, 1 to 100: rate limits up, timeouts down (default: 10; 1 = real time)
  --serve          keep the emulator and the pipeline running afterwards, for any AWS SDK or CLI, and print each
                   sync as it happens
  --port <n>       emulator port, with --serve only (default: 4566)
  -v, --version    print the version
  -h, --help       show this help`;

// The contact centre's role mapping: agents sign in through ConnectAgents, supervisors also get ConnectSupervisors.
const MAPPING = { Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] };
const LOG_FILE = join('.local-state', 'sync-user.log');
const DEFAULT_CSV = join('events', 'bulk-upload.csv');
const DEFAULT_PORT = 4566;
const out = (line: string) => process.stdout.write(`${line}\n`);

/** A wrong option: printed with the usage text, exit status 2. */
export class UsageError extends Error {}

/** The --serve port is taken: printed alone (no usage, no stack), exit status 2. */
export class PortInUseError extends Error {}

export interface StartOptions {
  csv: string;
  speed: number;
  serve: boolean;
  port: number;
  help: boolean;
  version: boolean;
}

/** The options of `npm start -- ...`; throws UsageError naming what is wrong. */
export function parseStartOptions(argv: string[]): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        csv: { type: 'string', default: DEFAULT_CSV },
        speed: { type: 'string', default: '10' },
        serve: { type: 'boolean', default: false },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error));
  }
  // Without --serve the emulator listens on a free port of its own and stops with the demo: a port would be ignored.
  if (values.port !== undefined && !values.serve) throw new UsageError('--port only applies with --serve');
  const speed = Number(values.speed);
  const port = Number(values.port ?? DEFAULT_PORT);
  if (!(speed >= 1 && speed <= 100)) throw new UsageError(`--speed must be a number from 1 to 100 (got "${values.speed}")`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be a port number, 1 to 65535 (got "${values.port}")`);
  return { csv: values.csv, speed, serve: values.serve, port, help: values.help, version: values.version };
}

/**
 * Runs `start`, which listens on `port` (the emulator, through the pipeline). A taken port (EADDRINUSE) becomes a
 * PortInUseError that names a port to try instead; anything else is rethrown.
 */
export async function listenOn<T>(port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new PortInUseError(`port ${port} is in use: pass --port <n> (e.g. --port ${port < 65535 ? port + 1 : port - 1})`, { cause: error });
  }
}

function readCsv(path: string): NewAgent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CsvError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    // The demo's instance is SAML: its template, with no email column (Connect refuses Email there).
    return readBulkUpload(text, { ...NEW_INSTANCE, identityManagementType: 'SAML' });
  } catch (error) {
    throw error instanceof CsvError ? new CsvError(`${path}: ${error.message}`, error.problems) : error;
  }
}

/** One status line, redrawn in place on a terminal and printed every few seconds otherwise. */
function progress(p: Pipeline, total: number) {
  const tty = process.stdout.isTTY;
  let printed = '';
  let lastPrinted = 0;
  const line = () => {
    const s = p.poller.stats;
    const parked = p.emulator.state.queue(p.queues.syncDlq).messages.length;
    return `  events delivered ${p.bus.stats.delivered}/${total} | records processed ${s.succeeded} | retries ${s.failed} | dead-lettered ${parked}`;
  };
  const render = () => {
    const current = line();
    if (tty) process.stdout.write(`\r${current}`);
    else if (current !== printed && Date.now() - lastPrinted > 2000) {
      out(current);
      printed = current;
      lastPrinted = Date.now();
    }
  };
  const timer = setInterval(render, 200);
  return () => {
    clearInterval(timer);
    if (tty) {
      render();
      process.stdout.write('\n');
      return;
    }
    // Not a terminal: the final line once, unless the last periodic print was already it.
    const final = line();
    if (final !== printed) out(final);
  };
}

async function main(argv: string[]): Promise<void> {
  const opts = parseStartOptions(argv);
  if (opts.help || opts.version) {
    out(opts.help ? USAGE : packageJson.version);
    return;
  }
  const agents = readCsv(opts.csv);
  // The modes to try come from the environment (checked as the function checks them); the resources are the emulator's.
  const settings = localSettings(process.env, { GROUP_MAPPING: JSON.stringify(MAPPING) });
  for (const line of settingsLines(settings)) out(line);

  Object.assign(process.env, { POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'INFO' });
  // Off during the demo (its progress line and report say it all); on once --serve hands over to the person watching.
  let watching = false;
  // Another npm start running writes LOG_FILE: this one writes its own beside it instead of truncating that one.
  const log = claimLogFile(LOG_FILE);
  process.once('exit', log.release);
  const closeFile = logsToFile(log.path, (record) => {
    const line = watching ? outcomeLine(record) : undefined;
    if (line) out(line);
  });
  const closeLog = async () => {
    await closeFile();
    log.release();
  };
  out(`Starting the local AWS emulator and the pipeline (speed ${opts.speed}x)...`);
  const start = () =>
    startPipeline({
      speed: opts.speed,
      emulator: opts.serve ? { port: opts.port } : {},
      // Someone HR onboarded last year: already in Identity Center under another user name, same email.
      identityCenter: { users: [{ userName: 'dsmith', givenName: 'Dana', familyName: 'Smith', email: 'dana.smith@example.com' }] },
      syncEnv: settings.syncEnv,
    });
  const p = opts.serve ? await listenOn(opts.port, start) : await start();
  out(`  Connect instance ${p.ids.instanceId} (SAML), identity store ${p.ids.identityStoreId}, application "Amazon Connect"`);
  out(`  Identity Center already has 1 person (dsmith, dana.smith@example.com); function logs: ${log.path}`);
  out(`  Role mapping (GROUP_MAPPING): ${settings.syncEnv.GROUP_MAPPING ?? `everyone in ${settings.syncEnv.AGENT_GROUP_NAME}`}`);

  out('');
  out('1. The administrator adds one agent in the Connect admin website (CreateUser)');
  await createAgent(p.adminConnect, p.ids.instanceId, {
    username: 'maria.garcia@example.com',
    // A SAML instance: no Email (Connect refuses it there); the Username is the sign-in name.
    identity: { FirstName: 'Maria', LastName: 'Garcia' },
  });
  out(`2. ...then uploads ${opts.csv} (${agents.length} users), paced like Connect's bulk tools at one user per 600 ms`);
  const done = progress(p, agents.length + 1);
  const ids = new Map<string, string>();
  for (const agent of agents) {
    ids.set(agent.username, await createAgent(p.adminConnect, p.ids.instanceId, agent));
    await new Promise((resolve) => setTimeout(resolve, 600 / opts.speed));
  }
  await p.drain();
  done();

  const story = await laterThatDay(p, ids);
  printReport(await buildReport(p, story), out, { serving: opts.serve, csv: opts.csv === DEFAULT_CSV ? undefined : opts.csv });
  // The operator's view of the same day: what `connect-sso-sync status` shows against this stack.
  out('');
  out('$ connect-sso-sync status');
  // Imported only now: the function's logger is built on first import, after the log file took over the console.
  const { main: operatorCommand } = await import('../cli/main.js');
  await operatorCommand(['status'], { out, err: out, errRaw: () => undefined, errIsTty: false, env: { ...process.env, ...p.env }, cwd: process.cwd() });
  if (!opts.serve) {
    await p.stop();
    await closeLog();
    return;
  }
  out('');
  out(`The emulator keeps running on ${p.emulator.endpoint}. Export what the pipeline runs with (every setting of the function):`);
  for (const line of exportLines(p.env)) out(`  ${line}`);
  out('Create more users and watch them sync, e.g. (AWS CLI v1 ignores the AWS_ENDPOINT_URL_* exports: each command names the endpoint):');
  // Security profile ids are generated per instance: name the one the admin website gives a new agent.
  const agentProfileId = p.emulator.state.securityProfiles(p.ids.instanceId).find((profile) => profile.Name === 'Agent')?.Id ?? '<Agent profile id>';
  const examples = awsExamples({
    endpoint: p.emulator.endpoint, instanceId: p.ids.instanceId, identityStoreId: p.ids.identityStoreId, syncDlqUrl: p.queues.syncDlq,
    agentProfileId, routingProfileId: NEW_AGENT_ROUTING_PROFILE,
  });
  for (const line of examples) out(`  ${line}`);
  out('Run the operator commands against it (after the exports above; the emulator has a trail logging management events):');
  out('  npx connect-sso-sync status');
  out('  npx connect-sso-sync doctor');
  out('  npx connect-sso-sync replay list');
  out('  npx connect-sso-sync user <username>      # why can this agent not sign in? --apply to sync it now');
  out('  npx connect-sso-sync reconcile            # dry run; --apply to carry it out');
  out(`Ctrl-C to stop. Each sync is printed below as it happens (ids only; the full log: ${log.path}).`);
  watching = true;
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await p.stop();
  await closeLog();
}

/**
 * After the upload, the life of a contact centre: a name corrected, an agent promoted, an agent leaving. (Not an email
 * correction: a SAML instance's users have no Email, Connect refuses it, and the Username, the sign-in name, never changes.)
 * Each is a Connect call whose CloudTrail event the pipeline follows. Applies to the users of the default CSV.
 */
async function laterThatDay(p: Pipeline, ids: Map<string, string>): Promise<DayStory> {
  const story: DayStory = { notes: new Map(), leavers: [] };
  const connect = p.adminConnect;
  const instance = p.ids.instanceId;
  const aisha = ids.get('aisha.khan@example.com');
  const tomas = ids.get('tomas.oliveira@example.com');
  const kenji = ids.get('kenji.watanabe@example.com');
  if (!aisha || !tomas || !kenji) return story;
  out('3. Later that day: Aisha\'s last name is corrected (UpdateUserIdentityInfo), Tomás is promoted to CallCenterManager');
  out('   (UpdateUserSecurityProfiles), and Kenji leaves the contact centre (DeleteUser)');
  const kenjiIdentity = p.emulator.state.identityUsers(p.ids.identityStoreId).find((u) => u.UserName === 'kenji.watanabe@example.com');
  await updateIdentityInfo(connect, instance, aisha, { FirstName: 'Aisha', LastName: 'Khan-Rahman' });
  await updateSecurityProfiles(connect, instance, tomas, ['CallCenterManager']);
  await deleteAgent(connect, instance, kenji);
  await p.drain();
  story.notes.set('aisha.khan@example.com', 'name corrected');
  story.notes.set('tomas.oliveira@example.com', 'promoted');
  story.leavers.push({ username: 'kenji.watanabe@example.com', connectUserId: kenji, identityUserId: kenjiIdentity ? String(kenjiIdentity.UserId) : undefined });
  return story;
}

// `npm start` runs this file; tests import its exports without running the demo.
if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`npm start: ${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    // Bad data or a taken port: the message says what to do; the usage text would only bury it.
    if (error instanceof CsvError || error instanceof PortInUseError || error instanceof ConfigError) {
      process.stderr.write(`npm start: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
