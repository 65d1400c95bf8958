/** SSO Admin (awsJson1_1, target prefix SWBExternalService): Identity Center instances, applications, assignments. */
import type { IdentityStoreService } from './identity-store.js';
import type { JsonObject } from './core.js';
import { ApiError, compact, ids, num, page, str } from './core.js';

export interface SsoApplication {
  arn: string;
  name: string;
  instanceArn: string;
  supportsApiAssignments: boolean;
  createdDate: number;
  assignments: { PrincipalId: string; PrincipalType: string }[];
}

export interface SsoInstance { arn: string; identityStoreId: string; createdDate: number; applications: Map<string, SsoApplication> }

const validation = (message: string): ApiError => new ApiError('ValidationException', 400, message);
const notFound = (message: string): ApiError => new ApiError('ResourceNotFoundException', 404, message);

export class SsoAdminService {
  readonly instances = new Map<string, SsoInstance>();

  constructor(private readonly accountId: string, private readonly identityStores: IdentityStoreService) {}

  addInstance(spec: { instanceArn?: string; identityStoreId: string }): SsoInstance {
    const instance: SsoInstance = { arn: spec.instanceArn ?? `arn:aws:sso:::instance/${ids.ssoInstance()}`, identityStoreId: spec.identityStoreId, createdDate: Date.now() / 1000, applications: new Map() };
    this.instances.set(instance.arn, instance);
    return instance;
  }

  addApplication(instance: SsoInstance, spec: { name: string; supportsApiAssignments?: boolean }): SsoApplication {
    const instanceId = instance.arn.split('/').pop() ?? 'ssoins-unknown';
    const application: SsoApplication = {
      arn: `arn:aws:sso::${this.accountId}:application/${instanceId}/${ids.application()}`,
      name: spec.name,
      instanceArn: instance.arn,
      supportsApiAssignments: spec.supportsApiAssignments ?? true,
      createdDate: Date.now() / 1000,
      assignments: [],
    };
    instance.applications.set(application.arn, application);
    return application;
  }

  application(arn: string | undefined): SsoApplication {
    for (const instance of this.instances.values()) {
      const application = arn === undefined ? undefined : instance.applications.get(arn);
      if (application !== undefined) return application;
    }
    throw notFound(`Application ${arn ?? '(none)'} not found.`);
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
    const invalidToken = validation('The pagination token is invalid.');
    switch (operation) {
      case 'ListInstances': {
        const list = [...this.instances.values()].map((i) => ({ InstanceArn: i.arn, IdentityStoreId: i.identityStoreId, OwnerAccountId: this.accountId, Status: 'ACTIVE', CreatedDate: i.createdDate }));
        const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, 'instances', invalidToken);
        return compact({ Instances: result.items, NextToken: result.nextToken });
      }
      case 'ListApplications': {
        const instance = this.instances.get(str(input, 'InstanceArn') ?? '');
        if (instance === undefined) throw notFound(`Instance ${str(input, 'InstanceArn') ?? '(none)'} not found.`);
        const list = [...instance.applications.values()].map((a) => this.describe(a));
        const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, `apps-${instance.arn}`, invalidToken);
        return compact({ Applications: result.items, NextToken: result.nextToken });
      }
      case 'DescribeApplication':
        return this.describe(this.application(str(input, 'ApplicationArn')));
      case 'CreateApplicationAssignment': {
        const { application, principalId, principalType } = this.assignmentInput(input);
        if (!application.supportsApiAssignments) {
          throw validation(`The operation CreateApplicationAssignment is not supported for this application (${application.name}). Assign users or groups to it in the IAM Identity Center console.`);
        }
        this.checkPrincipal(application, principalId, principalType);
        if (application.assignments.some((a) => a.PrincipalId === principalId && a.PrincipalType === principalType)) {
          throw new ApiError('ConflictException', 409, `Principal ${principalId} is already assigned to the application.`);
        }
        application.assignments.push({ PrincipalId: principalId, PrincipalType: principalType });
        return {};
      }
      case 'ListApplicationAssignments': {
        const application = this.application(str(input, 'ApplicationArn'));
        const list = application.assignments.map((a) => ({ ApplicationArn: application.arn, ...a }));
        const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, `assign-${application.arn}`, invalidToken);
        return compact({ ApplicationAssignments: result.items, NextToken: result.nextToken });
      }
      case 'DescribeApplicationAssignment': {
        const { application, principalId, principalType } = this.assignmentInput(input);
        const found = application.assignments.find((a) => a.PrincipalId === principalId && a.PrincipalType === principalType);
        if (found === undefined) throw notFound(`Assignment of ${principalId} not found.`);
        return { ApplicationArn: application.arn, ...found };
      }
      case 'DeleteApplicationAssignment': {
        const { application, principalId, principalType } = this.assignmentInput(input);
        const index = application.assignments.findIndex((a) => a.PrincipalId === principalId && a.PrincipalType === principalType);
        if (index < 0) throw notFound(`Assignment of ${principalId} not found.`);
        application.assignments.splice(index, 1);
        return {};
      }
      default:
        throw new ApiError('UnknownOperationException', 400, `Unknown operation ${operation}`);
    }
  }

  private assignmentInput(input: JsonObject): { application: SsoApplication; principalId: string; principalType: string } {
    const application = this.application(str(input, 'ApplicationArn'));
    const principalId = str(input, 'PrincipalId');
    const principalType = str(input, 'PrincipalType');
    if (principalId === undefined) throw validation('PrincipalId is required.');
    if (principalType !== 'USER' && principalType !== 'GROUP') throw validation('PrincipalType must be USER or GROUP.');
    return { application, principalId, principalType };
  }

  /** The principal must exist in the identity store of the application's instance. */
  private checkPrincipal(application: SsoApplication, principalId: string, principalType: string): void {
    const instance = this.instances.get(application.instanceArn);
    const store = instance === undefined ? undefined : this.identityStores.stores.get(instance.identityStoreId);
    if (store === undefined) return;
    const exists = principalType === 'USER' ? store.users.has(principalId) : store.groups.has(principalId);
    if (!exists) throw notFound(`${principalType} ${principalId} does not exist in identity store ${store.id}.`);
  }
}
