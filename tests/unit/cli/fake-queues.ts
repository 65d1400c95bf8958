import type { MessageMover, MessageQueue, MoveTaskStatus, OutgoingMessage, QueuedMessage } from '../../../shared/core/ports/index.js';

interface Stored {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  sentAt: number;
  receiveCount: number;
  hiddenUntil: number;
  handle?: string;
}

/** An in-memory SQS queue with visibility timeouts (on a fake clock), receipt handles and failure switches. */
export class FakeQueue implements MessageQueue {
  readonly messages: Stored[] = [];
  readonly calls: string[] = [];
  now = 1_800_000_000_000;
  failSend?: (body: string) => boolean;
  failDelete = false;
  private seq = 0;

  constructor(readonly name: string, readonly queueArn = `arn:aws:sqs:us-east-1:123456789012:${name}`) {}

  put(body: string, attributes: Record<string, string> = {}, ageSeconds = 60): string {
    const messageId = `m-${++this.seq}`;
    this.messages.push({ messageId, body, attributes, sentAt: this.now - ageSeconds * 1000, receiveCount: 0, hiddenUntil: 0 });
    return messageId;
  }

  visible(): Stored[] {
    return this.messages.filter((m) => m.hiddenUntil <= this.now);
  }

  async receive(visibilitySeconds: number): Promise<QueuedMessage[]> {
    this.calls.push('receive');
    return this.visible().slice(0, 10).map((m) => {
      m.receiveCount += 1;
      m.hiddenUntil = this.now + visibilitySeconds * 1000;
      m.handle = `h-${m.messageId}-${++this.seq}`;
      return { messageId: m.messageId, receiptHandle: m.handle, body: m.body, attributes: { ...m.attributes }, sentAt: m.sentAt, receiveCount: m.receiveCount };
    });
  }

  async sendBatch(messages: OutgoingMessage[]): Promise<Set<string>> {
    this.calls.push('sendBatch');
    const ok = new Set<string>();
    for (const m of messages) {
      if (this.failSend?.(m.body)) continue;
      this.put(m.body, {}, 0);
      ok.add(m.id);
    }
    return ok;
  }

  async deleteBatch(handles: string[]): Promise<Set<string>> {
    this.calls.push('deleteBatch');
    if (this.failDelete) return new Set();
    for (const h of handles) {
      const index = this.messages.findIndex((m) => m.handle === h);
      if (index >= 0) this.messages.splice(index, 1);
    }
    return new Set(handles);
  }

  async releaseBatch(handles: string[]): Promise<Set<string>> {
    this.calls.push('releaseBatch');
    const ok = new Set<string>();
    for (const m of this.messages) {
      if (m.handle && handles.includes(m.handle) && m.hiddenUntil > this.now) {
        m.hiddenUntil = 0;
        ok.add(m.handle);
      }
    }
    return ok;
  }

  async approximateCount(): Promise<number> {
    return this.visible().length;
  }

  async approximateBacklog(): Promise<number> {
    return this.messages.length;
  }

  async arn(): Promise<string> {
    return this.queueArn;
  }
}

/** A move task that moves everything at the first status poll. */
export class FakeMover implements MessageMover {
  readonly started: { source: string; destination: string }[] = [];
  private task?: MoveTaskStatus;

  constructor(private readonly source: FakeQueue, private readonly destination: FakeQueue, private readonly outcome: 'COMPLETED' | 'FAILED' = 'COMPLETED') {}

  async start(sourceArn: string, destinationArn: string): Promise<void> {
    this.started.push({ source: sourceArn, destination: destinationArn });
    this.task = { status: 'RUNNING', moved: 0, toMove: this.source.messages.length };
  }

  async status(): Promise<MoveTaskStatus | undefined> {
    if (this.task?.status === 'RUNNING') {
      const moving = this.outcome === 'COMPLETED' ? this.source.messages.splice(0) : [];
      for (const m of moving) this.destination.put(m.body, {}, 0);
      this.task = { status: this.outcome, moved: moving.length, failureReason: this.outcome === 'FAILED' ? 'AccessDenied' : undefined };
    }
    return this.task;
  }
}
