/** HTTP front door: finds service and operation by protocol, applies faults and rate limits, renders answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudTrailService } from './cloudtrail.js';
import type { CloudWatchService } from './cloudwatch.js';
import type { ConnectService } from './connect.js';
import type { Counters, FaultInjector, RateLimiter } from './controls.js';
import type { DynamoDbService } from './dynamodb.js';
import type { EventSource } from './events.js';
import type { IdentityStoreService } from './identity-store.js';
import type { JsonObject, ServiceName } from './core.js';
import type { SnsService } from './sns.js';
import type { SqsApi } from './sqs.js';
import { ApiError, ids, isObject, sleep } from './core.js';
import { isEventOperation } from './events.js';
import { asModelled, checkRequest, connectInput, queryInput } from './model-checks.js';
import { StsService } from './sts.js';
import type { SsoAdminService } from './sso-admin.js';

export interface Services {
  connect: ConnectService;
  identityStore: IdentityStoreService;
  ssoAdmin: SsoAdminService;
  sqs: SqsApi;
  sts: StsService;
  cloudTrail: CloudTrailService;
  cloudWatch: CloudWatchService;
  sns: SnsService;
  dynamodb: DynamoDbService;
  events: EventSource;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  counters: Counters;
  /** Waits out an injected latency (default: a timer); a test passes its own to hold and release the answer. */
  wait?: (ms: number) => Promise<void>;
}

const JSON_TARGETS: Record<string, { service: ServiceName; version: '1.0' | '1.1'; namespace: string }> = {
  AWSIdentityStore: { service: 'identitystore', version: '1.1', namespace: 'com.amazonaws.identitystore' },
  SWBExternalService: { service: 'sso-admin', version: '1.1', namespace: 'com.amazonaws.ssoadmin' },
  AmazonSQS: { service: 'sqs', version: '1.0', namespace: 'com.amazonaws.sqs' },
  // The SDK sends `CloudTrail_20131101.<Operation>`; the API reference shows the fully qualified form.
  CloudTrail_20131101: { service: 'cloudtrail', version: '1.1', namespace: 'com.amazonaws.cloudtrail' },
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101': { service: 'cloudtrail', version: '1.1', namespace: 'com.amazonaws.cloudtrail' },
  // CloudWatch's JSON 1.0 protocol (awsQueryCompatible), what @aws-sdk/client-cloudwatch sends: see cloudwatch.ts.
  GraniteServiceVersion20100801: { service: 'cloudwatch', version: '1.0', namespace: 'com.amazonaws.cloudwatch' },
};

type Protocol = { kind: 'json'; version: '1.0' | '1.1'; namespace: string } | { kind: 'rest' } | { kind: 'query' };

interface Call { service: ServiceName; operation: string; protocol: Protocol; run: () => Promise<JsonObject | string> }

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

function parseJson(text: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError('SerializationException', 400, 'Could not parse the request body as JSON.');
  }
  if (!isObject(parsed)) throw new ApiError('SerializationException', 400, 'The request body must be a JSON object.');
  return parsed;
}

const accessKeyOf = (req: IncomingMessage): string | undefined => /Credential=([^/,\s]+)/.exec(req.headers.authorization ?? '')?.[1];
/** The service of the SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
const signedServiceOf = (req: IncomingMessage): string | undefined => /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
/** The region of the SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
const signedRegionOf = (req: IncomingMessage): string | undefined => /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];

function retryAfter(seconds: number): { fields: JsonObject; headers: Record<string, string> } {
  return seconds > 0 ? { fields: { RetryAfterSeconds: seconds }, headers: { 'Retry-After': String(seconds) } } : { fields: {}, headers: {} };
}

function throttle(service: ServiceName, retryAfterSeconds: number): ApiError {
  const message = 'Rate exceeded';
  if (service === 'connect' || service === 'cloudtrail') return new ApiError('ThrottlingException', 429, message);
  if (service === 'sts') return new ApiError('Throttling', 400, message);
  // SQS's modelled throttling error (HTTP 403, query code RequestThrottled), which the SDK maps to RequestThrottled.
  if (service === 'sqs') return new ApiError('RequestThrottled', 403, message, {}, { 'x-amzn-query-error': 'RequestThrottled;Sender' });
  // DynamoDB's generic throttling error (on-demand tables have no provisioned throughput to exceed).
  if (service === 'dynamodb') return new ApiError('ThrottlingException', 400, message);
  // Identity Store and SSO Admin: HTTP 429 (the models' status); only Identity Store's shape has RetryAfterSeconds.
  const hint = retryAfter(retryAfterSeconds);
  return new ApiError('ThrottlingException', 429, message, service === 'identitystore' ? hint.fields : {}, hint.headers);
}

function internalError(service: ServiceName, retryAfterSeconds: number): ApiError {
  const message = 'An internal error occurred (injected fault).';
  if (service === 'connect') return new ApiError('InternalServiceException', 500, message);
  if (service === 'sqs') return new ApiError('InternalError', 500, message, {}, { 'x-amzn-query-error': 'InternalError;Receiver' });
  if (service === 'sts' || service === 'cloudtrail') return new ApiError('InternalFailure', 500, message);
  if (service === 'dynamodb') return new ApiError('InternalServerError', 500, message);
  const hint = retryAfter(retryAfterSeconds);
  const fields: JsonObject = service === 'identitystore' ? hint.fields : {};
  return new ApiError('InternalServerException', 500, message, fields, hint.headers);
}

export function createRequestHandler(services: Services): (req: IncomingMessage, res: ServerResponse) => void {
  const classify = (req: IncomingMessage, body: string, requestId: string): Call => {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const dot = target.lastIndexOf('.');
      const prefix = dot < 0 ? target : target.slice(0, dot);
      const operation = dot < 0 ? '' : target.slice(dot + 1);
      const spec = JSON_TARGETS[prefix];
      const protocol: Protocol = { kind: 'json', version: spec?.version ?? '1.1', namespace: spec?.namespace ?? 'com.amazonaws' };
      if (spec === undefined) {
        return { service: 'sqs', operation: target, protocol, run: () => Promise.reject(new ApiError('UnknownOperationException', 400, 'The X-Amz-Target is not recognised.')) };
      }
      return {
        service: spec.service, operation, protocol,
        run: async () => {
          const input = parseJson(body);
          checkRequest(spec.service, operation, input);
          if (spec.service === 'identitystore') return services.identityStore.handle(operation, input);
          if (spec.service === 'sso-admin') return services.ssoAdmin.handle(operation, input);
          if (spec.service === 'cloudtrail') return services.cloudTrail.handle(operation, input, signedRegionOf(req));
          if (spec.service === 'cloudwatch') return services.cloudWatch.handle(operation, input);
          return services.sqs.handle(operation, input);
        },
      };
    }
    if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      // SNS and STS both speak awsQuery: the SigV4 scope names the service the request was signed for.
      if (signedServiceOf(req) === 'sns') return { service: 'sns', operation: action, protocol: { kind: 'query' }, run: async () => services.sns.handle(action, params, requestId) };
      return {
        service: 'sts', operation: action, protocol: { kind: 'query' },
        run: async () => {
          checkRequest('sts', action, queryInput('sts', action, params));
          return services.sts.handle(action, params, accessKeyOf(req), requestId);
        },
      };
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const segments = url.pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    const route = services.connect.route(req.method ?? 'GET', segments);
    if (route === undefined) {
      return { service: 'connect', operation: `${req.method ?? ''} ${url.pathname}`, protocol: { kind: 'rest' }, run: () => Promise.reject(new ApiError('UnknownOperationException', 404, 'No operation matches the request method and path.')) };
    }
    return {
      service: 'connect', operation: route.operation, protocol: { kind: 'rest' },
      run: async () => {
        const input = parseJson(body);
        const op = route.operation;
        // CloudTrail records the call whether it succeeded or failed (a failed one with errorCode, no response).
        const record = (response: JsonObject, error?: ApiError) => {
          if (!isEventOperation(op)) return;
          const instance = services.connect.instance(route.params.InstanceId);
          services.events.emit({
            operation: op, instanceId: instance.id, instanceArn: instance.arn, userId: route.params.UserId,
            request: { ...input, InstanceId: route.params.InstanceId ?? '' }, response, accessKeyId: accessKeyOf(req),
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: String(req.headers['user-agent'] ?? 'unknown'), requestId,
            ...(error && { error: { code: error.code, message: error.message } }),
          });
        };
        let output: JsonObject;
        try {
          checkRequest('connect', route.operation, connectInput(route.operation, route.params, url.searchParams, input));
          output = services.connect.handle(route, url.searchParams, input);
        } catch (error) {
          if (error instanceof ApiError) {
            try {
              record({}, error);
            } catch {
              // No such instance: there is no trail of it to record the call in.
            }
          }
          throw error;
        }
        record(output);
        return output;
      },
    };
  };

  const send = (res: ServerResponse, protocol: Protocol, requestId: string, status: number, payload: JsonObject | string, headers: Record<string, string> = {}): void => {
    const contentType = protocol.kind === 'json' ? `application/x-amz-json-${protocol.version}` : protocol.kind === 'rest' ? 'application/json' : 'text/xml';
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    res.writeHead(status, { 'content-type': contentType, 'x-amzn-RequestId': requestId, 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const sendError = (res: ServerResponse, call: Pick<Call, 'protocol' | 'service' | 'operation'>, requestId: string, raised: ApiError): void => {
    const { protocol } = call;
    const error = asModelled(call.service, call.operation, raised);
    if (protocol.kind === 'query') {
      send(res, protocol, requestId, error.status, StsService.errorXml(error, requestId), error.headers);
      return;
    }
    const body: JsonObject = { ...error.fields, message: error.message, Message: error.message };
    if (protocol.kind === 'json') body.__type = `${protocol.namespace}#${error.code}`;
    send(res, protocol, requestId, error.status, body, { 'x-amzn-ErrorType': error.code, ...error.headers });
  };

  /**
   * Faults and rate limits, decided before the operation runs: 'answered' when the request was answered with one,
   * 'lose-answer' when it is to run and its answer be lost, 'run' otherwise.
   */
  const admit = async (res: ServerResponse, call: Pick<Call, 'service' | 'operation' | 'protocol'>, requestId: string): Promise<'answered' | 'run' | 'lose-answer'> => {
    const key = `${call.service}:${call.operation}`;
    const fault = services.faults.decide(call.service, call.operation);
    if (fault.latencyMs > 0) await (services.wait ?? sleep)(fault.latencyMs);
    if (fault.kind === 'throttle' || fault.kind === 'error') {
      services.counters.record(key, 'faulted');
      sendError(res, call, requestId, fault.kind === 'throttle' ? throttle(call.service, services.rateLimiter.retryAfterSeconds) : internalError(call.service, services.rateLimiter.retryAfterSeconds));
      return 'answered';
    }
    if (!services.rateLimiter.take(call.service, call.operation)) {
      services.counters.record(key, 'throttled');
      sendError(res, call, requestId, throttle(call.service, services.rateLimiter.retryAfterSeconds));
      return 'answered';
    }
    return fault.kind === 'lose-answer' ? 'lose-answer' : 'run';
  };

  /** DynamoDB (`DynamoDB_20120810.*`): the request goes to dynalite with its body unread; the answer's status decides the counter. */
  const forwardToDynamo = async (req: IncomingMessage, res: ServerResponse, target: string, requestId: string): Promise<void> => {
    const operation = target.slice(target.indexOf('.') + 1);
    const call = { service: 'dynamodb' as const, operation, protocol: { kind: 'json' as const, version: '1.0' as const, namespace: 'com.amazonaws.dynamodb.v20120810' } };
    // (A lost answer is not emulated for DynamoDB: dynalite writes the answer itself.)
    if ((await admit(res, call, requestId)) === 'answered') return;
    res.once('finish', () => services.counters.record(`dynamodb:${operation}`, res.statusCode < 400 ? 'ok' : 'error'));
    services.dynamodb.forward(req, res);
  };

  return (req, res) => {
    const requestId = ids.requestId();
    void (async () => {
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string' && target.startsWith('DynamoDB_20120810.')) {
        await forwardToDynamo(req, res, target, requestId);
        return;
      }
      const body = await readBody(req);
      const call = classify(req, body, requestId);
      const admitted = await admit(res, call, requestId);
      if (admitted === 'answered') return;
      const key = `${call.service}:${call.operation}`;
      if (admitted === 'lose-answer') {
        // Carried out (whatever its result), then the connection closes with no answer: the caller cannot tell.
        try {
          await call.run();
        } catch {
          // Its error is lost with the answer.
        }
        services.counters.record(key, 'faulted');
        res.destroy();
        return;
      }
      try {
        const output = await call.run();
        services.counters.record(key, 'ok');
        send(res, call.protocol, requestId, 200, output);
      } catch (error) {
        services.counters.record(key, 'error');
        sendError(res, call, requestId, error instanceof ApiError ? error : new ApiError(call.service === 'connect' ? 'InternalServiceException' : 'InternalServerException', 500, String(error)));
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  };
}
