import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createEvent, deadLetterTopic, Topic } from '@messngr/kit';
import { eventually } from './harness/eventually';
import { postGraphQL, useStack } from './harness/stack';
import { useTopicReader } from './harness/topic-reader';

describe('lifecycle events on the real broker', () => {
  const env = useStack();
  const reader = useTopicReader([Topic.TENANT_EVENTS, deadLetterTopic('audit')]);
  let producer: Producer;

  beforeAll(async () => {
    producer = new Kafka({
      clientId: 'e2e-producer',
      brokers: process.env['KAFKA_BROKERS']!.split(','),
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
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
    const message = await reader.waitFor((m) => m.topic === Topic.TENANT_EVENTS && m.key === tenant.id);
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

  it('stores each event once in the audit log, however often it is delivered', async () => {
    const tenant = await createTenant();
    const duplicate = createEvent({
      service: 'tenant',
      type: 'tenant.tenant.updated',
      subject: tenant.id,
      tenantId: tenant.id,
      time: new Date(),
      data: { before: { name: tenant.name }, after: { name: `${tenant.name} renamed` } },
    });
    const message = { key: tenant.id, value: JSON.stringify(duplicate) };
    await producer.send({ topic: Topic.TENANT_EVENTS, messages: [message, message] });
    await producer.send({ topic: Topic.TENANT_EVENTS, messages: [message] });

    const log = await eventually(async () => {
      const response = await env.stack.graphql<{ tenant: { auditLog: { edges: { node: { id: string; type: string } }[] } } }>(
        `query ($id: ID!) { tenant(id: $id) { auditLog(first: 50) { edges { node { id type } } } } }`,
        { id: tenant.id },
        env.adminToken,
      );
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      const types = response.data!.tenant.auditLog.edges.map((edge) => edge.node.type);
      if (!types.includes('tenant.tenant.created') || !types.includes('tenant.tenant.updated'))
        throw new Error(`so far: ${types}`);
      return response.data!.tenant.auditLog.edges;
    });
    // Later deliveries of the same id would have arrived by now: they were sent before the created event was read.
    expect(log.filter((edge) => edge.node.id === duplicate.id)).toHaveLength(1);
  });

  it('parks an unreadable message on the dead-letter topic and goes on with the next one', async () => {
    const marker = `poison-${randomBytes(4).toString('hex')}`;
    await producer.send({ topic: Topic.TENANT_EVENTS, messages: [{ key: marker, value: '{ not json' }] });
    const parked = await reader.waitFor((m) => m.topic === deadLetterTopic('audit') && m.key === marker);
    expect(parked.headers).toMatchObject({ 'dlt-original-topic': Topic.TENANT_EVENTS });

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
