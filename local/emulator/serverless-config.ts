/** Reads serverless.yml with CloudFormation short-form tags (!Ref, !GetAtt, !Not, ...) so the local tools use the deployed settings. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tags } from 'yaml';
import { parse } from 'yaml';

export const DEFAULT_SERVERLESS_PATH = join(__dirname, '..', '..', 'serverless.yml');

const INTRINSICS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Not', 'Equals', 'If', 'And', 'Or', 'Select', 'Split', 'FindInMap', 'Base64', 'GetAZs', 'ImportValue', 'Cidr', 'Transform'];

interface ToJson { toJSON(): unknown }

function cloudFormationTags(): Tags {
  const tags: Tags = [];
  for (const name of INTRINSICS) {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    tags.push({ tag: `!${name}`, resolve: (value: string) => ({ [key]: value }) });
    tags.push({ tag: `!${name}`, collection: 'seq', resolve: (value: ToJson) => ({ [key]: value.toJSON() }) });
    tags.push({ tag: `!${name}`, collection: 'map', resolve: (value: ToJson) => ({ [key]: value.toJSON() }) });
  }
  return tags;
}

export function loadServerlessConfig(path = DEFAULT_SERVERLESS_PATH): Record<string, unknown> {
  const parsed: unknown = parse(readFileSync(path, 'utf8'), { customTags: cloudFormationTags() });
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${path} is not a YAML mapping`);
  return parsed as Record<string, unknown>;
}

/** Follows a path of keys / indexes; undefined when any step is missing. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
