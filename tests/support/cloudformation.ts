/**
 * Just enough of CloudFormation to read a template as it would be deployed: parameters and pseudo parameters,
 * Conditions, Fn::If with AWS::NoValue, Fn::Sub, Fn::Join, Fn::Split, Fn::Select, and resources or outputs left out by
 * a false Condition. References to resources (Ref, Fn::GetAtt, ${Resource.Attr}) stay as they are. Also: the IAM
 * statements of a role, flattened to "action on resource" grants.
 */
import type { Json, JsonObject } from './osls-package.js';

export interface Deployment {
  /** Template parameter values (defaults are taken from the template). */
  parameters?: Record<string, string>;
  partition?: string;
  accountId?: string;
  region?: string;
}

const NO_VALUE = Symbol('AWS::NoValue');
type Evaluated = Json | typeof NO_VALUE;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

class Evaluator {
  private readonly conditionValues = new Map<string, boolean>();
  private readonly values: Record<string, string>;

  constructor(private readonly template: JsonObject, deployment: Deployment) {
    const defaults: Record<string, string> = {};
    for (const [name, definition] of Object.entries(isObject(template.Parameters) ? template.Parameters : {})) {
      if (isObject(definition) && definition.Default !== undefined) defaults[name] = String(definition.Default);
    }
    this.values = {
      ...defaults,
      ...deployment.parameters,
      'AWS::Partition': deployment.partition ?? 'aws',
      'AWS::AccountId': deployment.accountId ?? '111111111111',
      'AWS::Region': deployment.region ?? 'eu-west-2',
      'AWS::StackName': 'stack',
      'AWS::URLSuffix': 'amazonaws.com',
    };
  }

  condition(name: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const conditions = isObject(this.template.Conditions) ? this.template.Conditions : {};
    const definition = conditions[name];
    if (definition === undefined) throw new Error(`unknown condition ${name}`);
    const value = this.value(definition);
    if (typeof value !== 'boolean') throw new Error(`condition ${name} is not a boolean: ${JSON.stringify(value)}`);
    this.conditionValues.set(name, value);
    return value;
  }

  private sub(text: string, variables: JsonObject): string {
    return text.replace(/\$\{([^}!][^}]*)\}/g, (whole, name: string) => {
      if (name in variables) {
        const value = this.value(variables[name] ?? null);
        return typeof value === 'string' ? value : whole;
      }
      return this.values[name] ?? whole;
    });
  }

  value(node: Json): Evaluated {
    if (Array.isArray(node)) {
      return node.map((item) => this.value(item)).filter((item): item is Json => item !== NO_VALUE);
    }
    if (!isObject(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = node[key] ?? null;
      switch (key) {
        case 'Ref':
          if (arg === 'AWS::NoValue') return NO_VALUE;
          return typeof arg === 'string' && arg in this.values ? (this.values[arg] ?? null) : node;
        case 'Condition':
          return this.condition(String(arg));
        case 'Fn::If': {
          const [name, whenTrue, whenFalse] = asArray(arg);
          return this.value((this.condition(String(name)) ? whenTrue : whenFalse) ?? null);
        }
        case 'Fn::Equals': {
          const [a, b] = asArray(arg).map((item) => this.value(item));
          return JSON.stringify(a) === JSON.stringify(b);
        }
        case 'Fn::Not':
          return !this.value(asArray(arg)[0] ?? null);
        case 'Fn::And':
          return asArray(arg).every((item) => this.value(item) === true);
        case 'Fn::Or':
          return asArray(arg).some((item) => this.value(item) === true);
        case 'Fn::Sub': {
          if (typeof arg === 'string') return this.sub(arg, {});
          const [text, variables] = asArray(arg);
          return this.sub(String(text), isObject(variables) ? variables : {});
        }
        case 'Fn::Join': {
          const [delimiter, items] = asArray(arg);
          const parts = asArray(this.value(items ?? []) as Json);
          return parts.every((part) => typeof part === 'string') ? parts.join(String(delimiter)) : node;
        }
        case 'Fn::Split': {
          const [delimiter, source] = asArray(arg);
          const text = this.value(source ?? '');
          return typeof text === 'string' ? text.split(String(delimiter)) : node;
        }
        case 'Fn::Select': {
          const [index, items] = asArray(arg);
          return asArray(this.value(items ?? []) as Json)[Number(this.value(index ?? 0))] ?? null;
        }
        default:
          break;
      }
    }
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(node)) {
      const value = this.value(child);
      if (value !== NO_VALUE) out[key] = value;
    }
    return out;
  }
}

/** The template as deployed: conditions applied, intrinsic functions evaluated where they can be. */
export function deployed(template: JsonObject, deployment: Deployment = {}): JsonObject {
  const evaluator = new Evaluator(template, deployment);
  const section = (name: string): JsonObject => {
    const entries = isObject(template[name]) ? template[name] : {};
    const out: JsonObject = {};
    for (const [id, entry] of Object.entries(entries)) {
      if (isObject(entry) && typeof entry.Condition === 'string' && !evaluator.condition(entry.Condition)) continue;
      const value = evaluator.value(entry);
      if (value !== NO_VALUE) out[id] = value;
    }
    return out;
  };
  return { ...template, Resources: section('Resources'), Outputs: section('Outputs') };
}

/** The truth of a condition expression (a Rules assertion, say) for a deployment of the template. */
export function holds(template: JsonObject, expression: Json, deployment: Deployment = {}): boolean {
  const value = new Evaluator(template, deployment).value(expression);
  if (typeof value !== 'boolean') throw new Error(`not a condition: ${JSON.stringify(expression)}`);
  return value;
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: Json[];
  Condition?: JsonObject;
  Principal?: Json;
}

const normalize = (statement: Json): Statement => {
  if (!isObject(statement)) throw new Error(`not a statement: ${JSON.stringify(statement)}`);
  return {
    ...(statement as unknown as Statement),
    Action: asArray(statement.Action).map(String),
    Resource: asArray(statement.Resource),
  };
};

/** Every statement of a role's inline policies (of a deployed template). */
export function roleStatements(template: JsonObject, roleId: string): Statement[] {
  const role = (template.Resources as JsonObject)[roleId];
  if (!isObject(role)) throw new Error(`no resource ${roleId}`);
  const properties = role.Properties as JsonObject;
  return asArray(properties.Policies).flatMap((policy) => asArray(((policy as JsonObject).PolicyDocument as JsonObject).Statement).map(normalize));
}

/** The statements of a resource policy document property (queue, topic or key policy). */
export function policyStatements(template: JsonObject, resourceId: string, property = 'PolicyDocument'): Statement[] {
  const resource = (template.Resources as JsonObject)[resourceId];
  if (!isObject(resource)) throw new Error(`no resource ${resourceId}`);
  return asArray(((resource.Properties as JsonObject)[property] as JsonObject).Statement).map(normalize);
}

const resourceText = (resource: Json): string => (typeof resource === 'string' ? resource : JSON.stringify(resource));

/** "action resource" for each allowed pair, sorted and unique. */
export function grants(statements: Statement[]): string[] {
  const pairs = new Set<string>();
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of statement.Action) for (const resource of statement.Resource) pairs.add(`${action} ${resourceText(resource)}`);
  }
  return [...pairs].sort();
}

/** The resources an action is allowed on. */
export function resourcesOf(statements: Statement[], action: string): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow' && s.Action.includes(action)).flatMap((s) => s.Resource.map(resourceText)))].sort();
}

/** Every action a list of statements allows. */
export function actionsOf(statements: Statement[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action))].sort();
}
