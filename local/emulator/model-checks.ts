/**
 * Every request is checked against its operation's input shape in AWS's model before the operation runs, and a
 * violation is answered with the validation error of that service and protocol. Only semantics (existence, uniqueness,
 * limits per account) stay hand-written in the services.
 */
import type { Json, JsonObject, ServiceName } from './core.js';
import type { ModelService, Violation } from './models/validate.js';
import { ApiError } from './core.js';
import { errorSpec, httpBindings, modelledError, serviceModel, validateInput } from './models/validate.js';

const sqsError = (code: string, message: string): ApiError =>
  new ApiError(code, 400, message, {}, { 'x-amzn-query-error': `${code};Sender` });

/**
 * SQS (awsJson1_0, query-compatible) has no modelled validation error: a malformed or missing queue URL is InvalidAddress
 * (modelled on every queue operation), an unknown queue attribute name InvalidAttributeName (modelled), other missing
 * members MissingParameter and other bad values InvalidParameterValue (the common errors of every SQS action).
 */
function sqsValidationError(operation: string, violation: Violation): ApiError {
  if (violation.path === 'queueUrl') return sqsError('InvalidAddress', 'The address of the queue is not valid.');
  if (modelledError('sqs', operation, 'InvalidAttributeName') && /^(attributes|attributeNames)\b/.test(violation.path) && violation.kind === 'enum') {
    return sqsError('InvalidAttributeName', `Unknown attribute name at '${violation.path}'.`);
  }
  if (violation.kind === 'required') return sqsError('MissingParameter', `The request must contain the parameter at '${violation.path}'.`);
  return sqsError('InvalidParameterValue', `Value at '${violation.path}' is invalid.`);
}

/**
 * The validation error the service answers for a violation of its model. Connect: InvalidParameterException, or
 * InvalidRequestException for an operation whose model lists only that (DescribeInstance).
 */
export function validationError(service: ModelService, operation: string, violation: Violation): ApiError {
  switch (service) {
    case 'connect': return new ApiError(connectValidationCode(operation), 400, violation.message);
    case 'sqs': return sqsValidationError(operation, violation);
    case 'cloudtrail': return new ApiError('InvalidTrailNameException', 400, violation.message);
    case 'sts': return new ApiError('ValidationError', 400, violation.message);
    default: return new ApiError('ValidationException', 400, violation.message);
  }
}

/**
 * The services whose requests and errors follow the committed models. DynamoDB is dynalite's own; CloudWatch and SNS
 * serve the operator's status screen only and have no committed model (their handlers check what they read).
 */
const checked = (service: ServiceName): service is Exclude<ModelService, 'dynamodb'> => service !== 'dynamodb' && service !== 'cloudwatch' && service !== 'sns';

const connectValidationCode = (operation: string): string =>
  modelledError('connect', operation, 'InvalidParameterException') ? 'InvalidParameterException' : 'InvalidRequestException';

/**
 * An error as the model has it: the status of its shape, and for SQS (query-compatible) the `x-amzn-query-error` header
 * with the legacy code the SDK maps back to the modelled error (`AWS.SimpleQueueService.NonExistentQueue` ->
 * QueueDoesNotExist, `RequestThrottled` at 403, ...). Errors the model does not list (common errors) pass unchanged.
 */
export function asModelled(service: ServiceName, operation: string, raised: ApiError): ApiError {
  if (!checked(service)) return raised;
  const code = service === 'connect' && raised.code === 'InvalidParameterException' ? connectValidationCode(operation) : raised.code;
  const error = code === raised.code ? raised : new ApiError(code, raised.status, raised.message, raised.fields, raised.headers);
  const spec = errorSpec(service, error.code);
  if (spec === undefined) return error;
  const headers = service === 'sqs' ? { ...error.headers, 'x-amzn-query-error': `${spec.queryCode ?? error.code};${spec.status >= 500 ? 'Receiver' : 'Sender'}` } : error.headers;
  return new ApiError(error.code, spec.status, error.message, error.fields, headers);
}

/** Throws the service's validation error for the first violation of the operation's model, if any (DynamoDB is dynalite's). */
export function checkRequest(service: ServiceName, operation: string, input: JsonObject): void {
  if (!checked(service)) return;
  const [first] = validateInput(service, operation, input);
  if (first !== undefined) throw validationError(service, operation, first);
}

/**
 * A Connect (restJson1) request as its input shape: the body's members plus those bound to the path and the query
 * string (query values converted to the member's type; one that does not convert stays a string and fails the check).
 */
export function connectInput(operation: string, params: Record<string, string>, query: URLSearchParams, body: JsonObject): JsonObject {
  const bindings = httpBindings('connect', operation);
  const input: JsonObject = { ...body };
  for (const [name, member] of Object.entries(bindings.uri)) if (params[name] !== undefined) input[member] = params[name] ?? '';
  for (const [name, { member, type }] of Object.entries(bindings.query)) {
    const raw = query.get(name);
    if (raw === null) continue;
    const converted: Json = type === 'integer' || type === 'long' ? (/^-?\d+$/.test(raw) ? Number(raw) : raw) : raw;
    input[member] = converted;
  }
  return input;
}

/**
 * An STS (awsQuery) request as its input shape: form fields decoded by the model (`PolicyArns.member.1.arn` is the
 * first item's `arn`; an empty `Tags=` is an empty list; numbers and booleans converted, or left as text to fail).
 */
export function queryInput(service: ModelService, operation: string, params: URLSearchParams): JsonObject {
  const model = serviceModel(service);
  const keys = [...params.keys()];
  const decode = (shapeName: string, key: string): Json | undefined => {
    const shape = model.shapes[shapeName];
    if (shape === undefined) return undefined;
    const text = key === '' ? null : params.get(key);
    // A scalar sent where a list or structure belongs stays text, so the model check sees the wrong type.
    if ((shape.type === 'structure' || shape.type === 'list') && text !== null && text !== '') return text;
    if (shape.type === 'structure') {
      if (key !== '' && !keys.some((k) => k.startsWith(`${key}.`))) return undefined;
      const out: JsonObject = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const value = decode(ref.shape, key === '' ? name : `${key}.${name}`);
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    if (shape.type === 'list') {
      if (!keys.some((k) => k === key || k.startsWith(`${key}.member.`))) return undefined;
      const items: Json[] = [];
      for (let n = 1; keys.some((k) => k === `${key}.member.${n}` || k.startsWith(`${key}.member.${n}.`)); n += 1) items.push(decode(shape.member ?? '', `${key}.member.${n}`) ?? null);
      return items;
    }
    const raw = params.get(key);
    if (raw === null) return undefined;
    if (shape.type === 'integer' || shape.type === 'long') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (shape.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
    return raw;
  };
  const inputShape = model.operations[operation]?.input;
  const input = inputShape === undefined ? undefined : decode(inputShape, '');
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
}
