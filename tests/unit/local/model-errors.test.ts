/**
 * The emulator's errors against the models: every modelled error is rendered with the model's HTTP status (SQS: with
 * the query-compatible code the SDK maps back), and every error code a service's code raises is one its model lists
 * (or a common error of the protocol, named here with why).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../local/emulator/core.js';
import { asModelled } from '../../../local/emulator/model-checks.js';
import { serviceModel } from '../../../local/emulator/models/validate.js';
import type { ModelService } from '../../../local/emulator/models/validate.js';

const SERVICES: ModelService[] = ['connect', 'identitystore', 'sso-admin', 'sqs', 'cloudtrail'];
const FILES: Record<string, ModelService> = { 'identity-': 'identitystore', 'sso-admin': 'sso-admin', 'connect': 'connect', 'sqs': 'sqs', 'cloudtrail': 'cloudtrail' };
/** Errors of the protocol rather than of an operation. */
const COMMON: Partial<Record<ModelService, string[]>> = {
  // SQS's API reference lists these common errors for every action; no operation's model repeats them.
  sqs: ['MissingParameter', 'InvalidParameterValue'],
};
const NO_OPERATION = 'UnknownOperationException'; // the request names no operation the emulator implements

describe('errors as the models have them', () => {
  it.each(SERVICES.flatMap((service) => Object.entries(serviceModel(service).errors).map(([code, spec]) => [service, code, spec] as const)))(
    '%s %s is rendered with its modelled status', (service, code, spec) => {
      const rendered = asModelled(service, Object.keys(serviceModel(service).operations)[0] ?? '', new ApiError(code, 418, 'message'));
      expect(rendered.status).toBe(spec.status);
      if (service === 'sqs') expect(rendered.headers['x-amzn-query-error']).toBe(`${spec.queryCode ?? code};${spec.status >= 500 ? 'Receiver' : 'Sender'}`);
    });

  it('every error code a service raises is modelled for that service (or a common error)', () => {
    const dir = join(__dirname, '../../../local/emulator');
    const unmodelled: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const service = Object.entries(FILES).find(([prefix]) => file.startsWith(prefix))?.[1];
      if (service === undefined) continue;
      const modelled = new Set([...Object.keys(serviceModel(service).errors), ...(COMMON[service] ?? []), NO_OPERATION]);
      const raised = [...readFileSync(join(dir, file), 'utf8').matchAll(/(?:ApiError|sqsError|badRequest)\('([A-Za-z.]+)'/g)].map((m) => m[1] ?? '');
      unmodelled.push(...raised.filter((code) => !modelled.has(code)).map((code) => `${file}: ${code}`));
    }
    expect(unmodelled).toEqual([]);
  });
});
