import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { deadLetterTopic, producerTopic, TenantUpdated } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { createEvent } from '@messngr/kit/events';
import { eventually } from './harness/eventually';
import { postGraphQL, useStack } from './harness/stack';
import { useTopicReader } from './harness/topic-reader';

describe('lifecycle events on the real broker', () => {
  const env = useStack();
  const reader = useTopicReader([producerTopic('tenant'), deadLetterTopic('audit')]);
  let producer: Producer;
  let admin: Admin;

  beforeAll(async () => {
    const kafka = new Kafka({
      clientId: 'e2e-producer',
      brokers: process.env['KAFKA_BROKERS']!.split(','),
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
  });

  async function createTenant(correlationId?: string): Promise<{ id: string; slug: string; name: string }> {
    const name = `Events ${randomBytes(4).toString('hex')}`;
    const response = await postGraphQL<{ createTenant: { tenant: { id: string; slug: string } } }>(
      env.stack.gatewayUrl,
      `mutation ($name: String!) { createTenant(input: { name: $name }) { tenant { id slug } } }`,
      { name },
      env.adminToken,
      correlationId ? { 'x-correlation-id': correlationId } : {},
    );
    expect(response.errors).toBeUndefined();
    return { ...response.data!.createTenant.tenant, name };
  }

  it('publishes tenant.tenant.created as a CloudEvents envelope keyed by the tenant id', async () => {
    const correlationId = `corr-${randomBytes(4).toString('hex')}`;
    const tenant = await createTenant(correlationId);
    const message = await reader.waitFor((m) => m.topic === producerTopic('tenant') && m.key === tenant.id);
    const event = JSON.parse(message.value) as Record<string, unknown>;
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'tenant.tenant.created',
      source: '/messngr/tenant',
      subject: tenant.id,
      tenantid: tenant.id,
      partitionkey: tenant.id,
      datacontenttype: 'application/json',
      dataschema: expect.stringMatching(/tenant\.tenant\.created\/v1\.json$/),
      actortype: 'account',
      data: { tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, status: 'ACTIVE' } },
    });
    expect(Date.parse(String(event['time']))).not.toBeNaN();
    // The caller's correlation id crossed gateway → subgraph → outbox → Kafka.
    expect(event['correlationid']).toBe(correlationId);
    expect(message.headers).toMatchObject({
      'content-type': expect.stringContaining('application/cloudevents+json'),
      ce_id: event['id'],
      'x-correlation-id': correlationId,
    });
  });

  it('stores each event once in the audit log, however often it is delivered, parking none of the copies', async () => {
    const tenant = await createTenant();
    const duplicate = {
      ...createEvent(TenantUpdated, {
        subject: tenant.id,
        tenantId: asTenantId(tenant.id),
        time: new Date(),
        data: {
          tenant: { id: tenant.id, name: `${tenant.name} renamed`, slug: tenant.slug, status: 'ACTIVE' },
          changes: { name: { before: tenant.name, after: `${tenant.name} renamed` } },
        },
      }),
      // Its place in the tenant's history is that of the creation: copies kept from events ignore it.
      sequence: '1000',
    };
    const message = { key: tenant.id, value: JSON.stringify(duplicate) };
    const topic = producerTopic('tenant');
    const sent = [
      ...(await producer.send({ topic, messages: [message, message] })),
      ...(await producer.send({ topic, messages: [message] })),
    ];
    const partition = sent[0]!.partition;
    const lastOffset = BigInt(sent.at(-1)?.baseOffset ?? '-1');

    // Every copy was consumed: the audit group's committed offset moved past the last one.
    await eventually(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: env.stack.groupIds.audit, topics: [topic] });
        const committed = BigInt(offsets!.partitions.find((p) => p.partition === partition)!.offset);
        if (committed <= lastOffset) throw new Error(`audit committed ${committed}, last copy at ${lastOffset}`);
      },
      { timeoutMs: 90_000 },
    );
    const response = await env.stack.graphql<{ tenant: { auditLog: { edges: { node: { id: string; type: string } }[] } } }>(
      `query ($id: ID!) { tenant(id: $id) { auditLog(first: 50) { edges { node { id type } } } } }`,
      { id: tenant.id },
      env.adminToken,
    );
    const edges = response.data!.tenant.auditLog.edges;
    expect(edges.filter((edge) => edge.node.id === duplicate.id)).toHaveLength(1);
    // ...and none of them went to the dead-letter topic.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(reader.messages.filter((m) => m.topic === deadLetterTopic('audit') && m.value.includes(duplicate.id))).toEqual([]);
  }, 150_000);

  it('parks an unreadable message on the dead-letter topic and goes on with the next one', async () => {
    const marker = `poison-${randomBytes(4).toString('hex')}`;
    await producer.send({ topic: producerTopic('tenant'), messages: [{ key: marker, value: '{ not json' }] });
    const parked = await reader.waitFor((m) => m.topic === deadLetterTopic('audit') && m.key === marker);
    expect(parked.headers).toMatchObject({ 'dlt-original-topic': producerTopic('tenant') });

    const after = await createTenant();
    await eventually(async () => {
      const response = await env.stack.graphql<{ tenant: { auditLog: { edges: unknown[] } } }>(
        `query ($id: ID!) { tenant(id: $id) { auditLog { edges { node { id } } } } }`,
        { id: after.id },
        env.adminToken,
      );
      if (!response.data?.tenant.auditLog.edges.length) throw new Error('not yet audited');
    });
  });
});
