-- Per-conversation-cycle facts, kept by a materialized view over `events`, so dashboards never re-read the raw
-- stream. `events` may hold a redelivered event twice until its parts merge, and this view sees every insert
-- block, so every column is an aggregate that a duplicate cannot change: min/max/argMin of identical values,
-- sets (groupUniqArray) of tuples carrying the event id, uniqExact of event ids. No sum(), no count().
-- Rows of one cycle from different insert blocks meet only at merge time: queries re-aggregate by
-- (tenant_id, conversation_id, cycle) every time, so results never depend on merges.
CREATE TABLE IF NOT EXISTS cycle_facts
(
    tenant_id            UUID,
    conversation_id      UUID,
    cycle                UInt32,
    channel_id           SimpleAggregateFunction(max, UUID),
    contact_id           SimpleAggregateFunction(max, UUID),
    -- The team that held the cycle at its first event (transfers move it later); order key "occurred_at|id".
    team_at_start        AggregateFunction(argMin, UUID, String),
    -- Instants are unix milliseconds, never NULL (aggregating Nullable DateTime64 is several times slower):
    -- an absent min is 9223372036854775807, an absent max is 0.
    started_ms           SimpleAggregateFunction(min, Int64),
    reopened             SimpleAggregateFunction(max, UInt8),
    reopened_by_agent    SimpleAggregateFunction(max, UInt8),
    previous_resolved_ms SimpleAggregateFunction(max, Int64),
    previous_resolver    SimpleAggregateFunction(max, UUID),
    is_lead              SimpleAggregateFunction(max, UInt8),
    out_of_hours         SimpleAggregateFunction(max, UInt8),
    is_new_contact       SimpleAggregateFunction(max, UInt8),
    territory            SimpleAggregateFunction(max, String),
    department           SimpleAggregateFunction(max, String),
    first_customer_ms    SimpleAggregateFunction(min, Int64),
    -- First human-agent message and its writer: the first response whenever it came after the first customer
    -- message, which is every cycle a customer opens (only an agent's reopen can put an agent message first).
    first_agent_ms       SimpleAggregateFunction(min, Int64),
    first_responder      AggregateFunction(argMin, UUID, Tuple(Int64, UUID)),
    first_assigned_ms    SimpleAggregateFunction(min, Int64),
    resolved_ms          SimpleAggregateFunction(max, Int64),
    outcome              SimpleAggregateFunction(max, String),
    resolved_by          SimpleAggregateFunction(max, String),
    resolver             SimpleAggregateFunction(max, UUID),
    deal_value           SimpleAggregateFunction(max, Float64),
    currency             SimpleAggregateFunction(max, String),
    loss_reason          SimpleAggregateFunction(max, String),
    csat_requested       SimpleAggregateFunction(max, UInt8),
    csat_score           SimpleAggregateFunction(max, UInt8),
    sla_breached         SimpleAggregateFunction(max, UInt8),
    tags                 SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    assignees            SimpleAggregateFunction(groupUniqArrayArray, Array(UUID)),
    responders           SimpleAggregateFunction(groupUniqArrayArray, Array(UUID)),
    -- Customer (1) and human-agent (2) messages: (unix ms, kind, agent, event id). The id keeps two messages
    -- in the same millisecond apart and makes a redelivered one collapse into its original.
    messages             AggregateFunction(groupUniqArray, Tuple(Int64, UInt8, UUID, UUID)),
    -- Who held the cycle after each ownership event: (unix ms, event id as text for ties, assignee or nil, event type).
    ownership            AggregateFunction(groupUniqArray, Tuple(Int64, String, UUID, String)),
    transfers            AggregateFunction(uniqExact, UUID),
    escalations          AggregateFunction(uniqExact, UUID),
    automated_messages   AggregateFunction(uniqExact, UUID)
)
ENGINE = AggregatingMergeTree
ORDER BY (tenant_id, conversation_id, cycle);

CREATE MATERIALIZED VIEW IF NOT EXISTS cycle_facts_mv TO cycle_facts AS
SELECT
    tenant_id,
    conversation_id,
    p.cycle AS cycle,
    max(channel_id) AS channel_id,
    max(contact_id) AS contact_id,
    argMinState(team_id, concat(toString(occurred_at), '|', toString(id))) AS team_at_start,
    min(if(type IN ('conversation.opened', 'conversation.reopened'), toUnixTimestamp64Milli(occurred_at), 9223372036854775807)) AS started_ms,
    max(type = 'conversation.reopened') AS reopened,
    max(type = 'conversation.reopened' AND p.reopened_by = 'agent') AS reopened_by_agent,
    max(if(type = 'conversation.reopened', toUnixTimestamp64Milli(parseDateTime64BestEffortOrZero(p.previous_resolved_at, 3, 'UTC')), 0)) AS previous_resolved_ms,
    max(if(type = 'conversation.reopened', toUUIDOrZero(p.previous_resolved_by_agent_id), toUUIDOrZero(''))) AS previous_resolver,
    max(type = 'conversation.opened' AND p.is_lead) AS is_lead,
    max(type = 'conversation.opened' AND p.out_of_hours) AS out_of_hours,
    max(type = 'conversation.opened' AND p.is_new_contact) AS is_new_contact,
    max(if(type = 'conversation.opened', p.territory, '')) AS territory,
    max(if(type = 'conversation.opened', p.department, '')) AS department,
    min(if(type = 'message.received', toUnixTimestamp64Milli(occurred_at), 9223372036854775807)) AS first_customer_ms,
    min(if(type = 'message.sent' AND p.sender = 'agent', toUnixTimestamp64Milli(occurred_at), 9223372036854775807)) AS first_agent_ms,
    argMinStateIf(agent_id, tuple(toUnixTimestamp64Milli(occurred_at), id), type = 'message.sent' AND p.sender = 'agent') AS first_responder,
    min(if(type = 'conversation.assigned' AND p.assignee_type = 'agent', toUnixTimestamp64Milli(occurred_at), 9223372036854775807)) AS first_assigned_ms,
    max(if(type = 'conversation.resolved', toUnixTimestamp64Milli(occurred_at), 0)) AS resolved_ms,
    max(if(type = 'conversation.resolved', p.outcome, '')) AS outcome,
    max(if(type = 'conversation.resolved', p.resolved_by, '')) AS resolved_by,
    max(if(type = 'conversation.resolved', toUUIDOrZero(p.assignee_agent_id), toUUIDOrZero(''))) AS resolver,
    max(if(type = 'conversation.resolved', p.deal_value, 0)) AS deal_value,
    max(if(type = 'conversation.resolved', p.currency, '')) AS currency,
    max(if(type = 'conversation.resolved', p.loss_reason, '')) AS loss_reason,
    max(type = 'csat.requested') AS csat_requested,
    max(if(type = 'csat.submitted', p.score, 0)) AS csat_score,
    max(type = 'sla.breached') AS sla_breached,
    groupUniqArrayIf(p.tag, type = 'conversation.tagged' AND p.action = 'added') AS tags,
    groupUniqArrayIf(toUUIDOrZero(p.to_agent_id), type = 'conversation.assigned' AND p.assignee_type = 'agent') AS assignees,
    groupUniqArrayIf(agent_id, type = 'message.sent' AND p.sender = 'agent') AS responders,
    groupUniqArrayStateIf(
        tuple(toUnixTimestamp64Milli(occurred_at), toUInt8(if(type = 'message.received', 1, 2)), agent_id, id),
        type = 'message.received' OR (type = 'message.sent' AND p.sender = 'agent')) AS messages,
    groupUniqArrayStateIf(
        tuple(toUnixTimestamp64Milli(occurred_at), toString(id),
              if(type = 'conversation.assigned' AND p.assignee_type = 'agent',
                 toUUIDOrZero(p.to_agent_id), toUUIDOrZero('')),
              toString(type)),
        type IN ('conversation.assigned', 'conversation.unassigned', 'conversation.resolved')) AS ownership,
    uniqExactStateIf(id, type = 'conversation.transferred') AS transfers,
    uniqExactStateIf(id, type = 'sla.escalated') AS escalations,
    uniqExactStateIf(id, type = 'message.sent' AND p.sender != 'agent') AS automated_messages
-- The payload is parsed once per event into the fields any column needs (absent fields read as defaults).
FROM
(
    SELECT tenant_id, conversation_id, type, occurred_at, id, agent_id, team_id, channel_id, contact_id,
        JSONExtract(payload, 'Tuple(cycle UInt32, reopened_by String, previous_resolved_at String, previous_resolved_by_agent_id String,
            is_lead Bool, out_of_hours Bool, is_new_contact Bool, territory String, department String, sender String,
            assignee_type String, to_agent_id String, outcome String, resolved_by String, assignee_agent_id String,
            deal_value Float64, currency String, loss_reason String, score UInt8, tag String, action String)') AS p
    FROM events
    WHERE conversation_id != toUUIDOrZero('')
)
WHERE p.cycle > 0
GROUP BY tenant_id, conversation_id, cycle;
