import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_DIRECTORY, loadEvent } from '../../infra/local/sample-events.ts';
import { packageService } from '../support/packaged-template.ts';

type SampleEvent = { source: string; 'detail-type': string; detail: Record<string, unknown> };

const clientSettings = () => ({
  endpoint: process.env.AWS_ENDPOINT_URL ?? '',
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

/**
 * The rule's event pattern, read from the packaged template, evaluated by a real third-party matcher: moto's
 * EventBridge, delivering matched events to an SQS target.
 */
describe('the packaged rule event pattern, evaluated by moto EventBridge', () => {
  const eventBridge = new EventBridgeClient(clientSettings());
  const sqs = new SQSClient(clientSettings());
  const busName = `test-bus-${randomUUID()}`;
  let queueUrl = '';
  let pattern: Record<string, unknown>;

  beforeAll(async () => {
    const { template } = await packageService('pattern');
    pattern = template.Resources.SecretUpdateRule?.Properties.EventPattern;
    await eventBridge.send(new CreateEventBusCommand({ Name: busName }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `pattern-target-${randomUUID()}` }));
    queueUrl = queue.QueueUrl ?? '';
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await eventBridge.send(
      new PutRuleCommand({
        Name: 'secret-updates',
        EventBusName: busName,
        EventPattern: JSON.stringify(pattern),
      }),
    );
    await eventBridge.send(
      new PutTargetsCommand({
        Rule: 'secret-updates',
        EventBusName: busName,
        Targets: [{ Id: 'queue', Arn: attributes.Attributes?.QueueArn ?? '' }],
      }),
    );
  }, 180_000);

  /** Puts events on the bus and returns the `marker`s of those the rule delivered to the queue. */
  async function deliveredMarkers(
    events: { source: string; detailType: string; detail: Record<string, unknown> }[],
  ) {
    await eventBridge.send(
      new PutEventsCommand({
        Entries: events.map((event) => ({
          EventBusName: busName,
          Source: event.source,
          DetailType: event.detailType,
          Detail: JSON.stringify(event.detail),
        })),
      }),
    );
    const markers: string[] = [];
    for (let round = 0; round < 5; round++) {
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      for (const message of received.Messages ?? []) {
        markers.push(
          String((JSON.parse(message.Body ?? '{}') as { detail: { marker: string } }).detail.marker),
        );
      }
      if ((received.Messages ?? []).length === 0) break;
    }
    return markers.sort();
  }

  it('matches every sample EventBridge event and rejects near misses', async () => {
    // Prepare: the samples, and events that differ from them in one way each
    const samples = readdirSync(`${EVENTS_DIRECTORY}/eventbridge`).map((file) =>
      loadEvent<SampleEvent>(`eventbridge/${file}`),
    );
    const [first] = samples;
    if (first === undefined) throw new Error('no sample under events/eventbridge');
    const matching = samples.map((sample, index) => ({
      source: sample.source,
      detailType: sample['detail-type'],
      detail: { ...sample.detail, marker: `sample-${index}` },
    }));
    const { secretId, ...withoutSecretId } = first.detail;
    const nearMisses = [
      {
        source: 'com.example.other-service',
        detailType: first['detail-type'],
        detail: { ...first.detail, marker: 'other-source' },
      },
      {
        source: first.source,
        detailType: 'Secret Update Requested (v2)',
        detail: { ...first.detail, marker: 'other-type' },
      },
      {
        source: first.source,
        detailType: first['detail-type'].toLowerCase(),
        detail: { ...first.detail, marker: 'lower-case-type' },
      },
      {
        source: first.source,
        detailType: first['detail-type'],
        detail: { ...withoutSecretId, marker: 'no-secret-id' },
      },
      {
        source: first.source,
        detailType: first['detail-type'],
        detail: { ...withoutSecretId, SecretId: secretId, marker: 'pascal-case' },
      },
    ];

    // Act
    const delivered = await deliveredMarkers([...matching, ...nearMisses]);

    // Assess
    expect(pattern).toEqual({
      source: ['com.example.secret-updater'],
      'detail-type': ['Secret Update Requested'],
      detail: { secretId: [{ exists: true }] },
    });
    expect(delivered).toEqual(matching.map((event) => String(event.detail.marker)).sort());
  });
});
