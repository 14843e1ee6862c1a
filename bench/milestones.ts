import proto from '@temporalio/proto';

type History = proto.temporal.api.history.v1.IHistory;
const { EventType } = proto.temporal.api.enums.v1;

/** Server times (ms) of the moments the latency figures run between. */
export function milestones(history: History) {
  const at = (e: proto.temporal.api.history.v1.IHistoryEvent | undefined) =>
    e?.eventTime ? Number(e.eventTime.seconds) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6) : Number.NaN;
  const list = history.events ?? [];
  const gate = list.find((e) => {
    const stage = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.CampaignStage?.data;
    return stage && Buffer.from(stage).toString() === '"awaiting-approval"';
  });
  const accepted = list.filter(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED &&
      e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'decide',
  );
  const publishScheduled = list.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'publishCampaign',
  );
  const publishStarted = list.find(
    (e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === publishScheduled?.eventId?.toString(),
  );
  const completed = list.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  return {
    gateOpened: at(gate),
    decisionAccepted: at(accepted.at(-1)),
    publishStarted: at(publishStarted),
    completed: at(completed),
  };
}
