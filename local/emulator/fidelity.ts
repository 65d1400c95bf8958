/**
 * Fidelity report: breaks each modelled constraint of each operation the emulator implements once, against a running
 * emulator through the real SDK, and counts what the emulator enforced with the service's validation error. Skipped,
 * not counted: a probe the SDK refuses before sending, and one the wire cannot carry (an empty URI label names another
 * path, and a URI label or query value is always a string).
 */
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as connect from '@aws-sdk/client-connect';
import * as identitystore from '@aws-sdk/client-identitystore';
import * as sqs from '@aws-sdk/client-sqs';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import * as sts from '@aws-sdk/client-sts';
import type { Json } from './core.js';
import type { ModelService } from './models/validate.js';
import type { Path, Probe } from './models/probes.js';
import { isObject } from './core.js';
import { probesOf, sample } from './models/probes.js';
import { httpBindings, modelledError, serviceModel } from './models/validate.js';

type Probed = Exclude<ModelService, 'dynamodb'>;

/** The validation errors each service answers (SQS: its common errors and the modelled InvalidAddress / InvalidAttributeName). */
const VALIDATION_CODES: Record<Probed, string[]> = {
  identitystore: ['ValidationException'],
  'sso-admin': ['ValidationException'],
  connect: ['InvalidParameterException', 'InvalidRequestException'],
  sqs: ['InvalidAddress', 'InvalidAttributeName', 'MissingParameter', 'InvalidParameterValue'],
  cloudtrail: ['InvalidTrailNameException'],
  sts: ['ValidationError'],
};
/** Errors every SQS action may answer though no operation lists them (the API reference's common errors). */
const COMMON_ERRORS: Partial<Record<Probed, string[]>> = { sqs: ['MissingParameter', 'InvalidParameterValue'], sts: ['ValidationError'] };

interface SdkClient { send(command: unknown): Promise<unknown>; destroy(): void }
type Package = Record<string, unknown>;
const PACKAGES: Record<Probed, { pkg: Package; client: string }> = {
  connect: { pkg: connect, client: 'ConnectClient' },
  identitystore: { pkg: identitystore, client: 'IdentitystoreClient' },
  'sso-admin': { pkg: ssoAdmin, client: 'SSOAdminClient' },
  sqs: { pkg: sqs, client: 'SQSClient' },
  cloudtrail: { pkg: cloudtrail, client: 'CloudTrailClient' },
  sts: { pkg: sts, client: 'STSClient' },
};

export interface ProbeResult { service: Probed; operation: string; constraint: string; member: string; outcome: 'enforced' | 'accepted' | 'wrong-code' | 'skipped'; code?: string }

export interface FidelityReport { enforced: number; tested: number; wrongCodes: number; skipped: number; results: ProbeResult[] }

const memberName = (path: Path): string => path.map((p) => (typeof p === 'number' ? String(p + 1) : `${p[0]?.toLowerCase() ?? ''}${p.slice(1)}`)).join('.') || '(input)';

/** The baseline with the probe applied; parents a probe needs are created from the model's samples. */
function applyProbe(service: Probed, inputShape: string, baseline: Json, probe: Probe): Json | undefined {
  const root = structuredClone(baseline);
  const shapes = serviceModel(service).shapes;
  let container: Json = root;
  let shapeName = inputShape;
  for (let i = 0; i < probe.path.length; i += 1) {
    const key = probe.path[i] ?? '';
    const shape = shapes[shapeName];
    const childShape = typeof key === 'number' ? shape?.member : shape?.members?.[key]?.shape;
    if (childShape === undefined) return undefined;
    const last = i === probe.path.length - 1;
    if (typeof key === 'number' && Array.isArray(container)) {
      if (last) container[key] = probe.value ?? null;
      else if (container[key] === undefined) {
        const made = sample(service, childShape);
        if (made === undefined) return undefined;
        container[key] = made;
      }
      container = container[key] ?? null;
    } else if (typeof key === 'string' && isObject(container)) {
      if (last) {
        if (probe.value === undefined) delete container[key];
        else container[key] = probe.value;
      } else if (container[key] === undefined) {
        const made = sample(service, childShape);
        if (made === undefined) return undefined;
        container[key] = Array.isArray(made) && made.length === 0 && shapes[childShape]?.member !== undefined ? [sample(service, shapes[childShape]?.member ?? '') ?? null] : made;
      }
      container = container[key] ?? null;
    } else return undefined;
    shapeName = childShape;
  }
  return root;
}

/** Whether the probe breaks a path or query member in a way the wire cannot carry. */
function notOnTheWire(service: Probed, operation: string, probe: Probe): boolean {
  // awsQuery sends every scalar as text (a number where a string belongs arrives as a string), and the SDK's
  // serializer flattens lists and structures by their schema: a scalar in their place reaches the wire as nothing.
  if (service === 'sts') return ['type string', 'type list', 'type structure'].includes(probe.constraint);
  if (service !== 'connect' || probe.path.length !== 1) return false;
  const { uri, query } = httpBindings(service, operation);
  const name = String(probe.path[0]);
  const inUri = Object.values(uri).includes(name);
  const inQuery = Object.values(query).find((q) => q.member === name);
  if (inUri && (probe.value === '' || typeof probe.value !== 'string')) return true;
  return inQuery?.type === 'string' && typeof probe.value !== 'string' && probe.value !== undefined;
}

/** Connect's URI labels and SQS's queue URL must name something the SDK can send to; the samples do. */
function fitForWire(service: Probed, input: Record<string, Json>, endpoint: string): Record<string, Json> {
  if (service === 'sqs' && typeof input.QueueUrl === 'string' && input.QueueUrl !== '') return { ...input, QueueUrl: `${endpoint}/000000000000/fidelity` };
  return input;
}

export async function runFidelity(endpoint: string, services: Probed[] = ['connect', 'identitystore', 'sso-admin', 'sqs', 'cloudtrail', 'sts']): Promise<FidelityReport> {
  const results: ProbeResult[] = [];
  const credentials = { accessKeyId: 'AKIDFIDELITY', secretAccessKey: 'secret' };
  for (const service of services) {
    const { pkg, client: clientName } = PACKAGES[service];
    const Client = pkg[clientName] as new (config: Record<string, unknown>) => SdkClient;
    const client = new Client({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, useQueueUrlAsEndpoint: false });
    for (const [operation, spec] of Object.entries(serviceModel(service).operations)) {
      const { baseline, probes } = probesOf(service, operation);
      const Command = pkg[`${operation}Command`] as (new (input: unknown) => unknown) | undefined;
      if (Command === undefined || spec.input === undefined || !isObject(baseline)) continue;
      for (const probe of probes) {
        const member = memberName(probe.path);
        const input = applyProbe(service, spec.input, baseline, probe);
        if (!isObject(input) || notOnTheWire(service, operation, probe)) {
          results.push({ service, operation, constraint: probe.constraint, member, outcome: 'skipped' });
          continue;
        }
        const outcome = await client.send(new Command(fitForWire(service, input, endpoint))).then(() => undefined, (e: unknown) => e as { name?: string; $metadata?: { httpStatusCode?: number } });
        if (outcome === undefined) {
          results.push({ service, operation, constraint: probe.constraint, member, outcome: 'accepted' });
          continue;
        }
        const code = outcome.name ?? 'Error';
        if (outcome.$metadata?.httpStatusCode === undefined) results.push({ service, operation, constraint: probe.constraint, member, outcome: 'skipped', code });
        else {
          const listed = modelledError(service, operation, code) || (COMMON_ERRORS[service] ?? []).includes(code);
          const enforced = VALIDATION_CODES[service].includes(code) && listed;
          results.push({ service, operation, constraint: probe.constraint, member, outcome: enforced ? 'enforced' : 'wrong-code', code });
        }
      }
    }
    client.destroy();
  }
  const tested = results.filter((r) => r.outcome !== 'skipped');
  return {
    enforced: tested.filter((r) => r.outcome === 'enforced').length,
    tested: tested.length,
    wrongCodes: tested.filter((r) => r.outcome === 'wrong-code').length,
    skipped: results.length - tested.length,
    results,
  };
}

/** One line per service, then every probe that was not enforced. */
export function formatReport(report: FidelityReport): string {
  const lines: string[] = [];
  const services = [...new Set(report.results.map((r) => r.service))];
  for (const service of services) {
    const rows = report.results.filter((r) => r.service === service && r.outcome !== 'skipped');
    lines.push(`${service.padEnd(14)} ${rows.filter((r) => r.outcome === 'enforced').length} / ${rows.length}`);
  }
  lines.push(`enforced / tested: ${report.enforced} / ${report.tested} (${report.wrongCodes} with another error code; ${report.skipped} skipped: refused by the SDK before sending or not expressible on the wire)`);
  for (const r of report.results.filter((x) => x.outcome === 'accepted' || x.outcome === 'wrong-code')) {
    lines.push(`  ${r.outcome.padEnd(10)} ${r.service}:${r.operation} ${r.member} (${r.constraint})${r.code === undefined ? '' : ` -> ${r.code}`}`);
  }
  return lines.join('\n');
}
