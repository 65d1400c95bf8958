/**
 * Requests that each break one modelled constraint of an operation's input, for the fidelity report: a minimal valid
 * request built from the model (required members only, sample values that satisfy lengths, patterns, enums and ranges),
 * then, for every member the input shape reaches, one request per constraint (missing, wrong type, too short, too long,
 * off-pattern, off-enum, out of range, too few or too many items, a union with no or two members).
 */
import type { Json } from '../core.js';
import type { ModelService, Shape } from './validate.js';
import { modelRegex, serviceModel } from './validate.js';

export type Path = (string | number)[];
export interface Probe { constraint: string; path: Path; value: Json | undefined }

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
/** Values tried, in order, for a string shape with a pattern; the first that fits the pattern and the length wins. */
const CANDIDATES = [
  'a', 'userName', 'd-1234567890', UUID, `1234567890-${UUID}`, '123456789012', 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef', 'arn:aws:sso::aws:applicationProvider/custom-saml',
  'aws:identitystore:enterprise', 'Passw0rd1', '+15555550100', 'token',
];
/** Values tried to break a pattern at a valid length. */
const OFF_PATTERN = ['!', ' ', '\u0007', '\u200b', 'a b', '~~', 'ZZ', '0', 'aws:x'];
const MAX_PROBE_LENGTH = 70_000;
const MAX_DEPTH = 4;

function sampleString(shape: Shape): string | undefined {
  const length = Math.max(shape.min ?? 0, 1);
  if (shape.enum !== undefined) return shape.enum[0];
  const fits = (value: string): boolean => {
    const n = [...value].length;
    return n >= (shape.min ?? 0) && n <= (shape.max ?? Infinity) && (shape.pattern === undefined || modelRegex(shape.pattern).test(value));
  };
  return [...CANDIDATES, 'a'.repeat(length), '1'.repeat(length)].find(fits);
}

/** A minimal valid value of a shape (undefined when the model's pattern defeats every candidate). */
export function sample(service: ModelService, shapeName: string, depth = 0): Json | undefined {
  const shape = serviceModel(service).shapes[shapeName];
  if (shape === undefined || shape.document === true) return 'document';
  switch (shape.type) {
    case 'string': return sampleString(shape);
    case 'integer': case 'long': case 'float': case 'double': return Math.max(shape.min ?? 1, Math.min(1, shape.max ?? 1));
    case 'boolean': return true;
    case 'timestamp': return 0;
    case 'blob': return 'YQ==';
    case 'list': {
      const item = shape.member === undefined ? undefined : sample(service, shape.member, depth + 1);
      return item === undefined ? undefined : Array.from({ length: shape.min ?? 0 }, () => item);
    }
    case 'map': return {};
    case 'structure': {
      const out: Record<string, Json> = {};
      const members = shape.members ?? {};
      const wanted = shape.union === true ? Object.keys(members).slice(0, 1) : shape.required ?? [];
      for (const name of wanted) {
        const ref = members[name];
        if (ref === undefined || depth > MAX_DEPTH) return undefined;
        const value = sample(service, ref.shape, depth + 1);
        if (value === undefined) return undefined;
        out[name] = value;
      }
      return out;
    }
    default: return undefined;
  }
}

function stringProbes(shape: Shape, path: Path): Probe[] {
  const probes: Probe[] = [];
  if (shape.min !== undefined && shape.min > 0) probes.push({ constraint: `length >= ${shape.min}`, path, value: 'a'.repeat(shape.min - 1) });
  if (shape.max !== undefined && shape.max < MAX_PROBE_LENGTH) probes.push({ constraint: `length <= ${shape.max}`, path, value: 'a'.repeat(shape.max + 1) });
  if (shape.enum !== undefined) probes.push({ constraint: 'enum', path, value: 'NOT_A_MODELLED_VALUE' });
  else if (shape.pattern !== undefined) {
    const regex = modelRegex(shape.pattern);
    const length = Math.max(shape.min ?? 1, 1);
    const off = OFF_PATTERN.map((c) => c.repeat(Math.ceil(length / [...c].length)).slice(0, Math.max(length, c.length)))
      .find((v) => !regex.test(v) && [...v].length >= (shape.min ?? 0) && [...v].length <= (shape.max ?? Infinity));
    if (off !== undefined) probes.push({ constraint: 'pattern', path, value: off });
  }
  return probes;
}

/** A sample that is not an empty structure (one the wire would drop): its first member set when none is required. */
function filled(service: ModelService, shapeName: string): Json | undefined {
  const value = sample(service, shapeName);
  const shape = serviceModel(service).shapes[shapeName];
  if (shape?.type !== 'structure' || value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0) return value;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const member = sample(service, ref.shape);
    if (member !== undefined) return { [name]: member };
  }
  return value;
}

/** Every single-constraint breach the input shape of `operation` allows. */
export function probesOf(service: ModelService, operation: string): { baseline: Json | undefined; probes: Probe[] } {
  const model = serviceModel(service);
  const input = model.operations[operation]?.input;
  if (input === undefined) return { baseline: {}, probes: [] };
  const probes: Probe[] = [];
  const walk = (shapeName: string, path: Path, depth: number, seen: Set<string>): void => {
    const shape = model.shapes[shapeName];
    if (shape === undefined || shape.document === true || depth > MAX_DEPTH) return;
    const typeProbe = shape.type === 'string' ? 12345 : 'not-a-' + shape.type;
    if (path.length > 0) probes.push({ constraint: `type ${shape.type}`, path, value: typeProbe });
    if (shape.type === 'string') probes.push(...stringProbes(shape, path));
    if (shape.type === 'integer' || shape.type === 'long') {
      if (shape.min !== undefined) probes.push({ constraint: `value >= ${shape.min}`, path, value: shape.min - 1 });
      if (shape.max !== undefined) probes.push({ constraint: `value <= ${shape.max}`, path, value: shape.max + 1 });
    }
    if (shape.type === 'list' && shape.member !== undefined) {
      const item = filled(service, shape.member);
      if (shape.min !== undefined && shape.min > 0) probes.push({ constraint: `items >= ${shape.min}`, path, value: [] });
      if (shape.max !== undefined && item !== undefined && shape.max < 1000) probes.push({ constraint: `items <= ${shape.max}`, path, value: Array.from({ length: shape.max + 1 }, () => item) });
      if (!seen.has(shape.member)) walk(shape.member, [...path, 0], depth + 1, new Set([...seen, shape.member]));
    }
    if (shape.type === 'map' && shape.key !== undefined) {
      const key = model.shapes[shape.key];
      if (key?.enum !== undefined) probes.push({ constraint: 'key enum', path, value: { NotAModelledName: 'x' } });
    }
    if (shape.type === 'structure') {
      const members = shape.members ?? {};
      if (shape.union === true && path.length > 0) {
        probes.push({ constraint: 'union: one member', path, value: {} });
        const [first, second] = Object.entries(members);
        const a = first === undefined ? undefined : sample(service, first[1].shape);
        const b = second === undefined ? undefined : sample(service, second[1].shape);
        if (first !== undefined && second !== undefined && a !== undefined && b !== undefined) {
          probes.push({ constraint: 'union: not two members', path, value: { [first[0]]: a, [second[0]]: b } });
        }
      }
      for (const name of shape.required ?? []) probes.push({ constraint: 'required', path: [...path, name], value: undefined });
      for (const [name, ref] of Object.entries(members)) {
        if (!seen.has(ref.shape)) walk(ref.shape, [...path, name], depth + 1, new Set([...seen, ref.shape]));
      }
    }
  };
  walk(input, [], 0, new Set([input]));
  return { baseline: sample(service, input), probes };
}
