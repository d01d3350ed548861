-- `cycle_facts` again, in granules of 256 rows instead of 8,192. A query re-aggregates its hot cycles (touched since
-- the compactor's last watermark: in production there always are some) by key, and so does the compactor its
-- dirty ones; conversation ids are random, so 50 hot cycles touched 50 granules of 8,192 wide rows of aggregate
-- states, nearly the whole table at 1.1M cycles. At 9.7M events with 50 hot cycles the boards took 90–400 ms
-- instead of 120–555 (p50). The granularity of a table is fixed when it is created, hence a new table.
--
-- Nothing is lost while services keep inserting: the new table gets its own view from `events` first, then the
-- history is copied (a cycle's rows may then sit in it twice until merged: every column is an aggregate a
-- duplicate cannot change, 0003), then the views fed from it (touches, territories) start, next to the old ones
-- until 0015 drops those: a touch or territory row written twice changes nothing either. Each statement can run
-- again if the migration is retried. Views name their tables, so the new ones keep the new name.
CREATE TABLE IF NOT EXISTS cycle_facts_v2 AS cycle_facts
ENGINE = AggregatingMergeTree
ORDER BY (tenant_id, conversation_id, cycle)
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS cycle_facts_v2_mv TO cycle_facts_v2 AS
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

-- The history, copied before the views below exist, so it touches no cycle (the compactor has them all already).
INSERT INTO cycle_facts_v2 SELECT * FROM cycle_facts;

CREATE MATERIALIZED VIEW IF NOT EXISTS cycle_touches_v2_mv TO cycle_touches AS
SELECT tenant_id, now64(3, 'UTC') AS touched_at, conversation_id, cycle
FROM cycle_facts_v2;

CREATE MATERIALIZED VIEW IF NOT EXISTS conversation_territories_v2_mv TO conversation_territories AS
SELECT tenant_id, conversation_id, max(cycle_facts_v2.territory) AS territory, max(if(cycle > 1, cycle_facts_v2.territory, '')) AS later_territory,
    max(if(cycle > 1, greatest(if(started_ms = 9223372036854775807, 0, started_ms), resolved_ms), 0)) AS reopened_ms
FROM cycle_facts_v2
GROUP BY tenant_id, conversation_id
HAVING territory != '' OR reopened_ms > 0;
