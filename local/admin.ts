/**
 * What the Connect administrator does, scripted: create users as the admin website or the bulk upload does.
 * Their tools retry throttling and server errors until the user exists (a failed CreateUser changes nothing).
 */
import { CreateUserCommand, type ConnectClient, type UserIdentityInfo } from '@aws-sdk/client-connect';

const SECURITY_PROFILE = '00000000-0000-4000-8000-000000000001';
const ROUTING_PROFILE = '00000000-0000-4000-8000-000000000002';

export interface NewAgent {
  username: string;
  identity?: UserIdentityInfo;
  phoneType?: 'SOFT_PHONE' | 'DESK_PHONE';
}

const retryable = (error: unknown) => {
  const e = error as { name?: string; $fault?: string };
  return e.name === 'ThrottlingException' || e.name === 'TooManyRequestsException' || e.$fault === 'server';
};

/** Creates the Connect user, retrying transient failures (up to `attempts` calls); returns the user id. */
export async function createAgent(connect: ConnectClient, instanceId: string, agent: NewAgent, attempts = 30): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const out = await connect.send(
        new CreateUserCommand({
          InstanceId: instanceId,
          Username: agent.username,
          IdentityInfo: agent.identity ?? {},
          PhoneConfig: { PhoneType: agent.phoneType ?? 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
          SecurityProfileIds: [SECURITY_PROFILE],
          RoutingProfileId: ROUTING_PROFILE,
        }),
      );
      return out.UserId ?? '';
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt) * Math.random()));
    }
  }
}
