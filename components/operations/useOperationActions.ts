"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/client/endpoints";
import { request } from "@/lib/client/http";
import { keys } from "@/lib/client/resources";

/** Cancel a queued or running activity; run a run profile or a schedule now. Each refreshes what they change. */
export function useOperationActions() {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: keys.operations });
    void qc.invalidateQueries({ queryKey: keys.activities });
  };
  const cancel = useMutation({
    mutationFn: (id: string) => request(endpoints.cancelActivity, { params: { id }, body: {} }),
    onSuccess: refresh,
  });
  const runProfile = useMutation({
    mutationFn: (t: { connectedSystemId: number; runProfileId: number }) =>
      request(endpoints.executeRunProfile, {
        params: { id: t.connectedSystemId, runProfileId: t.runProfileId },
        body: {},
      }),
    onSuccess: refresh,
  });
  const runSchedule = useMutation({
    mutationFn: (scheduleId: number) => request(endpoints.executeSchedule, { params: { id: scheduleId }, body: {} }),
    onSuccess: refresh,
  });
  return { cancel, runProfile, runSchedule };
}
