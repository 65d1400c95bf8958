/**
 * SNS (awsQuery: form-encoded `Action=...`, XML answers; what @aws-sdk/client-sns sends, signed for service `sns`):
 * ListSubscriptionsByTopic only, over topics and subscriptions the emulator is given. An e-mail subscription that
 * nobody confirmed yet is listed with SubscriptionArn `PendingConfirmation`, as SNS does.
 */
import { ApiError, ids } from './core.js';

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const escapeXml = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

export interface SubscriptionSpec {
  protocol: 'email' | 'email-json' | 'sqs' | 'https';
  endpoint: string;
  confirmed: boolean;
}

interface Subscription extends SubscriptionSpec {
  arn: string;
}

export class SnsService {
  private readonly topics = new Map<string, Subscription[]>();

  constructor(private readonly accountId: string) {}

  /** Creates the topic when missing (as CreateTopic does: idempotent) and adds the subscriptions. */
  addTopic(topicArn: string, subscriptions: SubscriptionSpec[] = []): void {
    const list = this.topics.get(topicArn) ?? [];
    for (const s of subscriptions) list.push({ ...s, arn: `${topicArn}:${ids.uuid()}` });
    this.topics.set(topicArn, list);
  }

  /** Confirms every pending subscription of the topic (the recipient clicked the link). */
  confirmAll(topicArn: string): void {
    for (const s of this.topics.get(topicArn) ?? []) s.confirmed = true;
  }

  handle(action: string, params: URLSearchParams, requestId: string): string {
    const metadata = `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
    if (action !== 'ListSubscriptionsByTopic') throw new ApiError('InvalidAction', 400, `The action ${action} is not valid for this web service.`);
    const topicArn = params.get('TopicArn') ?? '';
    if (!topicArn) throw new ApiError('InvalidParameter', 400, 'Invalid parameter: TopicArn');
    if (!TOPIC_ARN.test(topicArn)) throw new ApiError('InvalidParameter', 400, 'Invalid parameter: TopicArn Reason: An ARN must have 6 elements');
    const subscriptions = this.topics.get(topicArn);
    if (!subscriptions) throw new ApiError('NotFound', 404, 'Topic does not exist');
    const members = subscriptions
      .map((s) =>
        `<member><TopicArn>${escapeXml(topicArn)}</TopicArn><Protocol>${s.protocol}</Protocol>` +
        `<SubscriptionArn>${s.confirmed ? escapeXml(s.arn) : 'PendingConfirmation'}</SubscriptionArn>` +
        `<Owner>${this.accountId}</Owner><Endpoint>${escapeXml(s.endpoint)}</Endpoint></member>`,
      )
      .join('');
    return `<ListSubscriptionsByTopicResponse xmlns="${NS}"><ListSubscriptionsByTopicResult><Subscriptions>${members}</Subscriptions>` +
      `</ListSubscriptionsByTopicResult>${metadata}</ListSubscriptionsByTopicResponse>`;
  }
}
