import { ListSubscriptionsByTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { paginate } from '../shared/adapters/paginate.js';
import { call } from '../shared/adapters/sdk-errors.js';
import type { AlarmState, Checked, SubscriptionState } from '../shared/core/status.js';
import { checked } from './status-sources.js';

/**
 * Whether someone receives the alarms: the e-mail subscriptions of the alarms' topic. SNS lists a subscription nobody
 * confirmed with SubscriptionArn `PendingConfirmation`. The subscriber's address is never read out (personal data).
 */
export async function subscriptionState(sns: SNSClient, alarms: readonly AlarmState[]): Promise<Checked<SubscriptionState>> {
  const topicArn = alarms.find((a) => a.topicArn)?.topicArn;
  if (!topicArn) return 'not checked';
  return checked(async () => {
    const emails: boolean[] = [];
    const pages = paginate((token) =>
      call('sns:ListSubscriptionsByTopic', () => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }))),
    );
    for await (const out of pages) {
      for (const s of out.Subscriptions ?? []) {
        if (s.Protocol === 'email' || s.Protocol === 'email-json') emails.push(s.SubscriptionArn !== undefined && s.SubscriptionArn !== 'PendingConfirmation');
      }
    }
    if (emails.length === 0) return 'none';
    return emails.some(Boolean) ? 'confirmed' : 'pending';
  });
}
