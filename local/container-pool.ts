import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface ContainerPool {
  invoke(event: SQSEvent, context: Context): Promise<SQSBatchResponse>;
  /** How many containers were started (cold starts). */
  readonly coldStarts: number;
}

/**
 * Lambda's execution model, locally: a container handles one invocation at a time; a new concurrent invocation
 * gets an idle container or a new one (a cold start, which runs `coldStart` to build the handler).
 */
export function createContainerPool(coldStart: () => Handler): ContainerPool {
  const idle: Handler[] = [];
  let coldStarts = 0;
  return {
    get coldStarts() {
      return coldStarts;
    },
    async invoke(event, context) {
      let handler = idle.pop();
      if (!handler) {
        coldStarts += 1;
        handler = coldStart();
      }
      try {
        return await handler(event, context);
      } finally {
        idle.push(handler);
      }
    },
  };
}
