import type { StatusReads } from '../shared/core/ports/index.js';
import type { AlarmState, Checked, SubscriptionState } from '../shared/core/status.js';
import { checked } from './status-sources.js';

/** Whether someone receives the alarms: the e-mail subscriptions of the alarms' topic ('not checked' without one). */
export async function subscriptionState(stack: StatusReads, alarms: readonly AlarmState[]): Promise<Checked<SubscriptionState>> {
  const topicArn = alarms.find((a) => a.topicArn)?.topicArn;
  if (!topicArn) return 'not checked';
  return checked(() => stack.emailSubscription(topicArn));
}
