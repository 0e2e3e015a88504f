/** Activities that are not run profiles: schema imports, data generation, certificates, configuration changes. */
import type { ActivityTargetType } from "@/lib/domain/enums";
import type { InitiatedBy } from "@/lib/domain/activity";
import type { ActivityRecorder } from "@/lib/domain/recorder";
import type { Rng } from "./random";
import type { Clock } from "./runner";

export type OtherKind = Exclude<ActivityTargetType, "ConnectedSystemRunProfile" | "Schedule">;
export const OTHER_KINDS: OtherKind[] = ["SchemaImport", "DataGeneration", "Certificate", "ConfigurationChange"];

export async function executeOther(
  deps: { recorder: ActivityRecorder; clock: Clock; rng: Rng; speed: number; instanceId: string },
  kind: OtherKind,
  by: InitiatedBy,
  systemNames: string[],
): Promise<string> {
  const { recorder, clock, rng } = deps;
  const at = () => new Date(clock.now());
  const speed = Math.max(0.01, deps.speed);
  const system = rng.pick(systemNames);
  let name: string;
  let objects = 0;
  let warnings: string[] = [];
  let failure: string | null = null;
  let created = 0;
  switch (kind) {
    case "SchemaImport":
      name = `Schema import: ${system}`;
      objects = rng.int(2, 6);
      if (rng.chance(0.2))
        warnings = [
          `Attribute 'extensionAttribute${rng.int(1, 15)}' is no longer in the schema of ${system}; its attribute flows were disabled`,
        ];
      break;
    case "DataGeneration":
      created = rng.pick([50, 100, 250, 500]);
      objects = created;
      name = `Generate test data: ${created} people`;
      break;
    case "Certificate":
      name = rng.pick([
        "Certificate renewal: ldaps://dc01.contoso.local",
        "Trusted certificate import: contoso.service-now.com",
        "Certificate renewal: Workday integration client",
      ]);
      objects = 1;
      if (rng.chance(0.15)) warnings = [`The certificate expires in ${rng.int(7, 30)} days`];
      if (rng.chance(0.08))
        failure = "The certificate chain could not be built to a trusted root authority (CN=Contoso Issuing CA 02)";
      break;
    case "ConfigurationChange":
      name = rng.pick([
        "Configuration change: attribute flow 'department' to ServiceNow",
        "Configuration change: join rule of Payroll (legacy)",
        "Configuration change: Delta sync cycle schedule",
        "Configuration change: provisioning scope of Contoso Active Directory",
        "Configuration change: export retry limit",
      ]);
      objects = 1;
      break;
  }
  const { id } = await recorder.create({ name, targetType: kind, objectsToProcess: objects, message: "Starting" }, by, {
    at: at(),
    owner: { instanceId: deps.instanceId },
  });
  await clock.sleep((1500 + rng.next() * 4000) / speed);
  await recorder.reportProgress(
    id,
    {
      objectsProcessed: Math.floor(objects / 2),
      message: `Processing: ${Math.floor(objects / 2)} of ${objects}`,
      counters: {
        totalObjectsProcessed: Math.floor(objects / 2),
        ...(created ? { totalCreated: Math.floor(created / 2) } : {}),
      },
    },
    at(),
  );
  await clock.sleep((1000 + rng.next() * 3000) / speed);
  if (failure) {
    await recorder.complete(id, { status: "FailedWithError", errorMessage: failure, objectsProcessed: 0 }, at());
  } else {
    await recorder.complete(
      id,
      {
        warnings: warnings.length ? warnings : undefined,
        objectsProcessed: objects,
        counters: { totalObjectsProcessed: objects, ...(created ? { totalCreated: created } : {}) },
      },
      at(),
    );
  }
  return id;
}
