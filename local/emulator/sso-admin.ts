/** SSO Admin (awsJson1_1, target prefix SWBExternalService): Identity Center instances, applications, assignments. */
import type { Behaviour } from './behaviour.js';
import type { IdentityStoreService } from './identity-store.js';
import type { JsonObject } from './core.js';
import { ApiError, compact, ids, num, obj, page, str } from './core.js';
import { checkRequest } from './model-checks.js';

export interface SsoApplication {
  arn: string;
  name: string;
  instanceArn: string;
  supportsApiAssignments: boolean;
  createdDate: number;
  assignments: { PrincipalId: string; PrincipalType: string }[];
}

export interface AccountAssignment { AccountId: string; PermissionSetArn: string; PrincipalId: string; PrincipalType: 'USER' | 'GROUP' }

export interface SsoInstance {
  arn: string;
  identityStoreId: string;
  createdDate: number;
  applications: Map<string, SsoApplication>;
  accountAssignments: AccountAssignment[];
}

const validation = (message: string): ApiError => new ApiError('ValidationException', 400, message);
const notFound = (what: string): ApiError => new ApiError('ResourceNotFoundException', 404, `The specified ${what} was not found.`);
const invalidToken = (): ApiError => validation('The pagination token is invalid.');

export class SsoAdminService {
  readonly instances = new Map<string, SsoInstance>();

  constructor(private readonly accountId: string, private readonly identityStores: IdentityStoreService, private readonly behaviour: Behaviour) {}

  private get paging(): { short: boolean } {
    return { short: this.behaviour.current.pages === 'short' };
  }

  addInstance(spec: { instanceArn?: string; identityStoreId: string }): SsoInstance {
    const arn = spec.instanceArn ?? `arn:aws:sso:::instance/${ids.ssoInstance()}`;
    checkRequest('sso-admin', 'ListApplications', { InstanceArn: arn });
    const instance: SsoInstance = { arn, identityStoreId: spec.identityStoreId, createdDate: Date.now() / 1000, applications: new Map(), accountAssignments: [] };
    this.instances.set(instance.arn, instance);
    return instance;
  }

  addApplication(instance: SsoInstance, spec: { name: string; supportsApiAssignments?: boolean }): SsoApplication {
    const application: SsoApplication = {
      arn: `arn:aws:sso::${this.accountId}:application/${instanceIdOf(instance.arn)}/${ids.application()}`,
      name: spec.name,
      instanceArn: instance.arn,
      supportsApiAssignments: spec.supportsApiAssignments ?? true,
      createdDate: Date.now() / 1000,
      assignments: [],
    };
    instance.applications.set(application.arn, application);
    return application;
  }

  /** A permission set ARN of the instance (seeded account assignments name one when the spec does not). */
  permissionSetArn(instance: SsoInstance): string {
    return `arn:aws:sso:::permissionSet/${instanceIdOf(instance.arn)}/${ids.permissionSet()}`;
  }

  application(arn: string | undefined): SsoApplication {
    for (const instance of this.instances.values()) {
      const application = arn === undefined ? undefined : instance.applications.get(arn);
      if (application !== undefined) return application;
    }
    throw notFound('application');
  }

  instance(arn: string): SsoInstance {
    const instance = this.instances.get(arn);
    if (instance === undefined) throw notFound('instance');
    return instance;
  }

  private describe(application: SsoApplication): JsonObject {
    return {
      ApplicationArn: application.arn,
      ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom-saml',
      Name: application.name,
      ApplicationAccount: this.accountId,
      InstanceArn: application.instanceArn,
      Status: 'ENABLED',
      PortalOptions: { Visibility: 'ENABLED', SignInOptions: { Origin: 'IDENTITY_CENTER' } },
      CreatedDate: application.createdDate,
    };
  }

  handle(operation: string, input: JsonObject): JsonObject {
    switch (operation) {
      case 'ListInstances': {
        const list = [...this.instances.values()].map((i) => ({ InstanceArn: i.arn, IdentityStoreId: i.identityStoreId, OwnerAccountId: this.accountId, Status: 'ACTIVE', CreatedDate: i.createdDate }));
        const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, 'instances', invalidToken(), this.paging);
        return compact({ Instances: result.items, NextToken: result.nextToken });
      }
      case 'ListApplications': {
        const instance = this.instance(str(input, 'InstanceArn') ?? '');
        const list = [...instance.applications.values()].map((a) => this.describe(a));
        const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, `apps-${instance.arn}`, invalidToken(), this.paging);
        return compact({ Applications: result.items, NextToken: result.nextToken });
      }
      case 'DescribeApplication':
        return this.describe(this.application(str(input, 'ApplicationArn') ?? ''));
      case 'CreateApplicationAssignment': {
        const { application, principalId, principalType } = this.assignmentInput(input);
        if (!application.supportsApiAssignments) {
          throw validation('The operation CreateApplicationAssignment is not supported for this application. Assign users or groups to it in the IAM Identity Center console.');
        }
        this.checkPrincipal(application.instanceArn, principalId, principalType);
        if (application.assignments.some((a) => a.PrincipalId === principalId && a.PrincipalType === principalType)) {
          // Whether a repeat answers 200 or 409 is not documented: `repeatAssignment` decides.
          if (this.behaviour.current.repeatAssignment === 'ok') return {};
          throw new ApiError('ConflictException', 409, 'The principal is already assigned to the application.');
        }
        application.assignments.push({ PrincipalId: principalId, PrincipalType: principalType });
        return {};
      }
      case 'ListApplicationAssignments': {
        const application = this.application(str(input, 'ApplicationArn') ?? '');
        const list = application.assignments.map((a) => ({ ApplicationArn: application.arn, ...a }));
        const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, `assign-${application.arn}`, invalidToken(), this.paging);
        return compact({ ApplicationAssignments: result.items, NextToken: result.nextToken });
      }
      case 'DescribeApplicationAssignment': {
        const { application, principalId, principalType } = this.assignmentInput(input);
        const found = application.assignments.find((a) => a.PrincipalId === principalId && a.PrincipalType === principalType);
        if (found === undefined) throw notFound('application assignment');
        return { ApplicationArn: application.arn, PrincipalId: found.PrincipalId, PrincipalType: found.PrincipalType };
      }
      case 'DeleteApplicationAssignment': {
        const { application, principalId, principalType } = this.assignmentInput(input);
        const index = application.assignments.findIndex((a) => a.PrincipalId === principalId && a.PrincipalType === principalType);
        if (index < 0) throw notFound('application assignment');
        application.assignments.splice(index, 1);
        return {};
      }
      case 'ListApplicationAssignmentsForPrincipal':
        return this.forPrincipal(input, 'application');
      case 'ListAccountAssignmentsForPrincipal':
        return this.forPrincipal(input, 'account');
      default:
        throw new ApiError('UnknownOperationException', 400, 'The requested operation is not supported by the emulator.');
    }
  }

  /** What a principal is assigned to; for a USER under `principalAssignments: with-groups`, also through its groups. */
  private forPrincipal(input: JsonObject, kind: 'application' | 'account'): JsonObject {
    const instance = this.instance(str(input, 'InstanceArn') ?? '');
    const principalId = str(input, 'PrincipalId') ?? '';
    const principalType = str(input, 'PrincipalType') ?? '';
    const filter = obj(input, 'Filter') ?? {};
    const principals = [{ PrincipalId: principalId, PrincipalType: principalType as string }];
    if (principalType === 'USER' && this.behaviour.current.principalAssignments === 'with-groups') {
      const store = this.identityStores.stores.get(instance.identityStoreId);
      for (const m of store?.memberships.values() ?? []) if (m.UserId === principalId) principals.push({ PrincipalId: m.GroupId, PrincipalType: 'GROUP' });
    }
    const matches = (a: { PrincipalId: string; PrincipalType: string }) => principals.some((p) => p.PrincipalId === a.PrincipalId && p.PrincipalType === a.PrincipalType);
    const tag = `${kind}-${principalType}-${principalId}`;
    if (kind === 'application') {
      const applicationArn = str(filter, 'ApplicationArn');
      const list = [...instance.applications.values()].filter((a) => applicationArn === undefined || a.arn === applicationArn)
        .flatMap((a) => a.assignments.filter(matches).map((x) => ({ ApplicationArn: a.arn, PrincipalId: x.PrincipalId, PrincipalType: x.PrincipalType })));
      const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, tag, invalidToken(), this.paging);
      return compact({ ApplicationAssignments: result.items, NextToken: result.nextToken });
    }
    const accountId = str(filter, 'AccountId');
    const list = instance.accountAssignments.filter((a) => matches(a) && (accountId === undefined || a.AccountId === accountId)).map((a) => ({ ...a }));
    const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, tag, invalidToken(), this.paging);
    return compact({ AccountAssignments: result.items, NextToken: result.nextToken });
  }

  private assignmentInput(input: JsonObject): { application: SsoApplication; principalId: string; principalType: string } {
    // The model checked the ARN, the id and the type (USER | GROUP).
    return { application: this.application(str(input, 'ApplicationArn') ?? ''), principalId: str(input, 'PrincipalId') ?? '', principalType: str(input, 'PrincipalType') ?? '' };
  }

  /** The principal must exist in the identity store of the instance. */
  checkPrincipal(instanceArn: string, principalId: string, principalType: string): void {
    const instance = this.instances.get(instanceArn);
    if (instance === undefined || !this.identityStores.stores.has(instance.identityStoreId)) return;
    if (!this.identityStores.hasPrincipal(instance.identityStoreId, principalType, principalId)) throw notFound(principalType === 'USER' ? 'user' : 'group');
  }
}

/** `ssoins-...` from `arn:aws:sso:::instance/ssoins-...`. */
export const instanceIdOf = (instanceArn: string): string => instanceArn.split('/').pop() ?? 'ssoins-unknown';
