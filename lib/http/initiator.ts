import type { Principal } from "@/lib/auth/authenticate";
import type { InitiatedBy } from "@/lib/domain/recorder";

export const initiatorOf = (p: Principal): InitiatedBy => ({ type: "ApiKey", id: p.keyId, name: p.keyName });
