/**
 * The simulated organisation: the "real" connected systems (Workday HR, Payroll, Active Directory,
 * ServiceNow), the engine's connector spaces, the metaverse and pending exports. Generated
 * deterministically from a seed in a steady state (everyone already synchronised, a few
 * data-quality problems that repeat), then drifting as simulated time passes.
 */
import { Rng } from "./random";
import { COST_CENTRES, DEPARTMENTS, GIVEN_NAMES, LOCATIONS, SURNAMES, TITLES } from "./names";

export type SystemKey = "hr" | "payroll" | "ad" | "snow";
export const SYSTEM_KEYS: SystemKey[] = ["hr", "payroll", "ad", "snow"];
export const TARGET_KEYS = ["ad", "snow"] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];
export type Attrs = Record<string, string | null>;

/** An object as it exists in the connected system itself. */
export interface RealObject {
  rowKey: string;
  objectType: string;
  externalId: string | null;
  displayName: string;
  attrs: Attrs;
  members?: string[];
}

export interface PendingExport {
  kind: "Add" | "Update" | "Delete";
  /** Target values of the attributes to write. */
  changes: Attrs;
  retries: number;
  /** pending: waits for the next export; exported: waits for a confirming import; failed: retry limit exceeded. */
  state: "pending" | "exported" | "failed";
  lastError?: string;
}

/** Connector-space object: the engine's staged copy of a real object. */
export interface Cso extends RealObject {
  id: string;
  mvoId: string | null;
  pending: PendingExport | null;
  /** Deleted in the connected system; the next synchronisation disconnects it. */
  obsolete: boolean;
  /** Provisioned by the engine, not yet created in the connected system. */
  placeholder: boolean;
  retainedJoin?: boolean;
}

export interface Mvo {
  id: string;
  objectType: "person" | "group";
  attrs: Attrs;
  links: Partial<Record<SystemKey, string>>;
}

export interface SystemState {
  key: SystemKey;
  objectTypes: string[];
  real: Map<string, RealObject>;
  cs: Map<string, Cso>;
  csByExternalId: Map<string, string>;
  /** Rows changed in the connected system since its last import (what a delta import reads). */
  changeLog: Set<string>;
  /** Rows that failed to import; reported again by every import until fixed. */
  importErrors: Set<string>;
  /** CSOs the next delta synchronisation looks at (changed, or in error last time). */
  syncDirty: Set<string>;
}

export const SCHEMA: Record<SystemKey, string[]> = {
  hr: ["person"],
  payroll: ["person"],
  ad: ["user", "group"],
  snow: ["user"],
};

/** Drift events per simulated hour for 1,500 people (scaled by population). */
export const DRIFT_RATES = {
  hire: 2,
  leaver: 1.5,
  attributeChange: 10,
  managerChange: 3,
  hrFixMissingId: 0.15,
  hrNewMissingId: 0.12,
  hrNewDuplicate: 0.05,
  hrBadManager: 0.08,
  adAdminEdit: 2.5,
  adGroupChange: 5,
  adAccidentalDelete: 0.05,
  adNewContact: 0.06,
  adServiceAccount: 0.05,
  snowAdminEdit: 0.8,
  payrollChange: 1,
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z]/g, "");
const dnEscape = (s: string) => s.replace(/,/g, "\\,");

export class World {
  readonly rng: Rng;
  readonly systems: Record<SystemKey, SystemState>;
  readonly mv = new Map<string, Mvo>();
  readonly mvByEmployeeId = new Map<string, Set<string>>();
  private accountNames = new Set<string>();
  private nextEmployeeNumber = 100001;
  private nextWorker = 1;
  private nextPayroll = 50001;
  /** Simulated time of the last drift, ms since epoch. */
  lastAdvance: number;
  readonly size: number;

  constructor(seed: number, size: number, now: number) {
    this.rng = new Rng(seed);
    this.size = Math.max(20, Math.min(100_000, Math.floor(size)));
    this.lastAdvance = now;
    const mk = (key: SystemKey): SystemState => ({
      key,
      objectTypes: SCHEMA[key],
      real: new Map(),
      cs: new Map(),
      csByExternalId: new Map(),
      changeLog: new Set(),
      importErrors: new Set(),
      syncDirty: new Set(),
    });
    this.systems = { hr: mk("hr"), payroll: mk("payroll"), ad: mk("ad"), snow: mk("snow") };
    this.generate();
  }

  // ---------- generation ----------

  private newEmployeeId(): string {
    return `E${this.nextEmployeeNumber++}`;
  }

  private makePerson(managerIds: string[], department?: string): RealObject {
    const r = this.rng;
    const given = r.pick(GIVEN_NAMES);
    const sn = r.pick(SURNAMES);
    const dept = department ?? r.pick(DEPARTMENTS);
    const employeeId = this.newEmployeeId();
    const start = new Date(Date.UTC(2012 + r.int(0, 13), r.int(0, 11), r.int(1, 28))).toISOString().slice(0, 10);
    return {
      rowKey: `WID-${String(this.nextWorker++).padStart(7, "0")}`,
      objectType: "person",
      externalId: employeeId,
      displayName: `${given} ${sn}`,
      attrs: {
        employeeId,
        givenName: given,
        sn,
        displayName: `${given} ${sn}`,
        department: dept,
        title: r.pick(TITLES[dept]),
        manager: managerIds.length ? r.pick(managerIds) : null,
        location: r.pick(LOCATIONS),
        employmentStatus: "Active",
        startDate: start,
      },
    };
  }

  private generate() {
    const r = this.rng;
    const n = this.size;
    const hr = this.systems.hr;
    // Managers first, so everyone else can report to one.
    const managerCount = Math.max(3, Math.round(n * 0.08));
    const managers: string[] = [];
    for (let i = 0; i < n; i++) {
      const p = this.makePerson(i < managerCount ? managers.slice(0, Math.max(1, Math.floor(i / 4))) : managers);
      if (i < managerCount) managers.push(p.externalId!);
      hr.real.set(p.rowKey, p);
    }
    // Data-quality problems that repeat on every import / synchronisation until someone fixes them.
    const people = [...hr.real.values()];
    for (let i = 0; i < Math.max(2, Math.round(n * 0.003)); i++) {
      const p = this.makePerson(managers);
      p.externalId = null;
      p.attrs.employeeId = null;
      hr.real.set(p.rowKey, p);
      hr.importErrors.add(p.rowKey);
    }
    for (let i = 0; i < Math.max(1, Math.round(n * 0.0015)); i++) {
      const orig = r.pick(people);
      const dup = this.makePerson(managers, orig.attrs.department!);
      dup.externalId = orig.externalId;
      dup.attrs.employeeId = orig.externalId;
      hr.real.set(dup.rowKey, dup);
      hr.importErrors.add(dup.rowKey);
    }

    // Steady state: every valid HR person staged, projected and provisioned.
    for (const p of people) {
      const cso = this.stage("hr", p);
      const mvo = this.newMvo("person", {});
      this.link(mvo, "hr", cso);
      this.applyInbound(mvo, p.attrs);
    }
    // Bad manager references: the person was projected earlier; the reference broke since.
    for (let i = 0; i < Math.max(2, Math.round(n * 0.003)); i++) this.breakManager(r.pick(people), false);

    // Payroll: most people, with cost centre and payroll number.
    const payroll = this.systems.payroll;
    for (const p of people) {
      if (!r.chance(0.92)) continue;
      const row = this.payrollRow(p);
      payroll.real.set(row.rowKey, row);
      const cso = this.stage("payroll", row);
      const mvo = this.findMvo(p.externalId!);
      if (mvo) {
        this.link(mvo, "payroll", cso);
        mvo.attrs.costCentre = row.attrs.costCentre;
        mvo.attrs.payrollNumber = row.externalId;
      }
    }
    // Legacy duplicates in the metaverse: the payroll row of these people matches two MVOs.
    for (let i = 0; i < Math.max(1, Math.round(n * 0.0012)); i++) {
      const p = r.pick(people);
      const original = this.findMvo(p.externalId!);
      if (!original || original.links.payroll === undefined) continue;
      const dup = this.newMvo("person", { ...original.attrs, displayName: `${original.attrs.displayName} (migrated)` });
      this.indexEmployeeId(dup);
      const payCso = payroll.cs.get(original.links.payroll)!;
      delete original.links.payroll;
      payCso.mvoId = null;
      payroll.syncDirty.add(payCso.rowKey);
    }

    // Targets: AD and ServiceNow accounts for everyone, already confirmed.
    for (const mvo of this.mv.values()) {
      if (mvo.objectType !== "person" || !mvo.links.hr) continue;
      for (const t of TARGET_KEYS) {
        const row = this.addTargetObject(t, "user", mvo.attrs.displayName ?? "", this.expectedTarget(mvo, t));
        const cso = this.stage(t, row);
        this.link(mvo, t, cso);
      }
    }
    // Second pass: manager references need every account to exist.
    for (const mvo of this.mv.values()) {
      for (const t of TARGET_KEYS) {
        const key = mvo.links[t];
        if (!key) continue;
        const cso = this.systems[t].cs.get(key)!;
        const real = this.systems[t].real.get(key)!;
        const attrs = this.expectedTarget(mvo, t);
        cso.attrs = { ...attrs };
        real.attrs = { ...attrs };
      }
    }
    // AD: service accounts (never joined), groups, and a few contacts the schema does not know.
    const ad = this.systems.ad;
    for (let i = 0; i < Math.max(3, Math.round(n / 60)); i++) this.addServiceAccount(false);
    const users = [...ad.real.values()].filter((o) => o.objectType === "user" && o.attrs.employeeID);
    const groupNames = [
      ...DEPARTMENTS.map((d) => `GG-${d.replace(/ /g, "")}-Staff`),
      "GG-VPN-Users",
      "GG-Project-Phoenix",
      "GG-Project-Atlas",
      "GG-M365-E5",
      "GG-Finance-Approvers",
      "GG-Remote-Workers",
      "GG-Badge-Access-HQ",
      "GG-Developers",
    ];
    for (const name of groupNames) {
      const dept = DEPARTMENTS.find((d) => name === `GG-${d.replace(/ /g, "")}-Staff`);
      const members = (
        dept ? users.filter((u) => u.attrs.department === dept) : users.filter(() => r.chance(0.08))
      ).map((u) => u.attrs.distinguishedName!);
      const row = this.addTargetObject(
        "ad",
        "group",
        name,
        {
          cn: name,
          sAMAccountName: name,
          description: dept ? `All staff of ${dept}` : `Access group ${name.slice(3)}`,
          groupType: "-2147483646",
          distinguishedName: `CN=${name},OU=Groups,OU=Contoso,DC=contoso,DC=local`,
        },
        members,
      );
      const cso = this.stage("ad", row);
      const mvo = this.newMvo("group", {
        displayName: name,
        accountName: name,
        description: row.attrs.description,
        memberCount: String(members.length),
      });
      this.link(mvo, "ad", cso);
    }
    for (let i = 0; i < Math.max(1, Math.round(n * 0.002)); i++) this.addContact(false);
    // Drift since the last run is produced by advance().
    for (const s of SYSTEM_KEYS) this.systems[s].changeLog.clear();
  }

  private payrollRow(p: RealObject): RealObject {
    const payrollNumber = `P${this.nextPayroll++}`;
    return {
      rowKey: `PAY-${payrollNumber}`,
      objectType: "person",
      externalId: payrollNumber,
      displayName: `${p.attrs.sn}, ${p.attrs.givenName}`,
      attrs: {
        payrollNumber,
        employeeId: p.attrs.employeeId,
        fullName: `${p.attrs.sn}, ${p.attrs.givenName}`,
        costCentre: this.rng.pick(COST_CENTRES),
        grade: `G${this.rng.int(3, 12)}`,
        status: "Paid",
      },
    };
  }

  /**
   * An object created in a target system: a row key, and the id the system gives it (Active
   * Directory an objectGUID, ServiceNow a sys_id).
   */
  private addTargetObject(
    t: TargetKey,
    objectType: string,
    displayName: string,
    attrs: Attrs,
    members?: string[],
  ): RealObject {
    const r = this.rng;
    const row: RealObject = {
      rowKey: `${t}-${r.hex(12)}`,
      objectType,
      externalId: t === "ad" ? r.uuid() : r.hex(32),
      displayName,
      attrs,
      ...(members ? { members } : {}),
    };
    this.systems[t].real.set(row.rowKey, row);
    return row;
  }

  private addServiceAccount(log: boolean) {
    const r = this.rng;
    const name = `svc-${r.pick(["backup", "sql", "print", "scan", "sccm", "monitor", "jenkins", "sap", "crm", "ftp"])}${r.int(1, 99)}`;
    const row = this.addTargetObject("ad", "user", name, {
      sAMAccountName: name,
      displayName: name,
      distinguishedName: `CN=${name},OU=Service Accounts,OU=Contoso,DC=contoso,DC=local`,
      description: "Service account",
      employeeID: null,
    });
    if (log) this.systems.ad.changeLog.add(row.rowKey);
    else this.stage("ad", row);
  }

  private addContact(log: boolean) {
    const r = this.rng;
    const name = `${r.pick(GIVEN_NAMES)} ${r.pick(SURNAMES)} (Partner)`;
    const row = this.addTargetObject("ad", "contact", name, {
      displayName: name,
      mail: `${slug(name)}@partner.example`,
      distinguishedName: `CN=${dnEscape(name)},OU=Contacts,OU=Contoso,DC=contoso,DC=local`,
    });
    this.systems.ad.importErrors.add(row.rowKey);
    if (log) this.systems.ad.changeLog.add(row.rowKey);
  }

  /** Stages a real object in the system's connector space: a CSO mirroring it, joined to nothing yet. */
  stage(key: SystemKey, row: RealObject): Cso {
    const cso: Cso = {
      id: this.rng.uuid(),
      rowKey: row.rowKey,
      objectType: row.objectType,
      externalId: row.externalId,
      displayName: row.displayName,
      attrs: { ...row.attrs },
      members: row.members ? [...row.members] : undefined,
      mvoId: null,
      pending: null,
      obsolete: false,
      placeholder: false,
    };
    this.addCso(key, cso);
    return cso;
  }

  addCso(key: SystemKey, cso: Cso) {
    const s = this.systems[key];
    s.cs.set(cso.rowKey, cso);
    if (cso.externalId) s.csByExternalId.set(cso.externalId, cso.rowKey);
  }

  removeCso(key: SystemKey, cso: Cso) {
    const s = this.systems[key];
    s.cs.delete(cso.rowKey);
    if (cso.externalId && s.csByExternalId.get(cso.externalId) === cso.rowKey) s.csByExternalId.delete(cso.externalId);
    s.syncDirty.delete(cso.rowKey);
  }

  // ---------- metaverse ----------

  newMvo(objectType: "person" | "group", attrs: Attrs): Mvo {
    const mvo: Mvo = { id: this.rng.uuid(), objectType, attrs: { ...attrs }, links: {} };
    this.mv.set(mvo.id, mvo);
    return mvo;
  }

  link(mvo: Mvo, key: SystemKey, cso: Cso) {
    mvo.links[key] = cso.rowKey;
    cso.mvoId = mvo.id;
  }

  indexEmployeeId(mvo: Mvo) {
    const e = mvo.attrs.employeeId;
    if (!e) return;
    let set = this.mvByEmployeeId.get(e);
    if (!set) this.mvByEmployeeId.set(e, (set = new Set()));
    set.add(mvo.id);
  }

  deleteMvo(mvo: Mvo) {
    this.mv.delete(mvo.id);
    const e = mvo.attrs.employeeId;
    if (e) this.mvByEmployeeId.get(e)?.delete(mvo.id);
  }

  findMvo(employeeId: string): Mvo | undefined {
    const ids = this.mvByEmployeeId.get(employeeId);
    if (!ids || ids.size === 0) return undefined;
    return this.mv.get(ids.values().next().value!);
  }

  matches(employeeId: string | null): Mvo[] {
    if (!employeeId) return [];
    return [...(this.mvByEmployeeId.get(employeeId) ?? [])].map((id) => this.mv.get(id)!).filter(Boolean);
  }

  /** Inbound attribute flow HR → metaverse. Returns the MV attribute changes. */
  applyInbound(mvo: Mvo, hrAttrs: Attrs): { attribute: string; oldValue: string | null; newValue: string | null }[] {
    const changes: { attribute: string; oldValue: string | null; newValue: string | null }[] = [];
    const set = (attribute: string, value: string | null) => {
      const old = mvo.attrs[attribute] ?? null;
      if (old === value) return;
      mvo.attrs[attribute] = value;
      changes.push({ attribute, oldValue: old, newValue: value });
    };
    for (const a of [
      "employeeId",
      "givenName",
      "sn",
      "displayName",
      "department",
      "title",
      "location",
      "employmentStatus",
    ])
      set(a, hrAttrs[a] ?? null);
    const mgr = hrAttrs.manager ? this.findMvo(hrAttrs.manager) : undefined;
    set("manager", mgr ? mgr.id : null);
    if (!mvo.attrs.accountName) {
      set("accountName", this.uniqueAccountName(mvo.attrs.givenName ?? "x", mvo.attrs.sn ?? "user"));
      set(
        "mail",
        `${slug(mvo.attrs.givenName ?? "")}.${slug(mvo.attrs.sn ?? "")}${/\d+$/.exec(mvo.attrs.accountName ?? "")?.[0] ?? ""}@contoso.com`,
      );
    }
    this.indexEmployeeId(mvo);
    return changes;
  }

  private uniqueAccountName(given: string, sn: string): string {
    const base = (slug(given).slice(0, 1) + slug(sn)).slice(0, 18) || "user";
    let name = base;
    for (let i = 2; this.accountNames.has(name); i++) name = `${base}${i}`;
    this.accountNames.add(name);
    return name;
  }

  /** What the metaverse says the person's account in a target should look like (outbound flow). */
  expectedTarget(mvo: Mvo, t: TargetKey): Attrs {
    const a = mvo.attrs;
    const manager = a.manager ? this.mv.get(a.manager) : undefined;
    if (t === "ad") {
      const mgrKey = manager?.links.ad;
      const mgrCso = mgrKey ? this.systems.ad.cs.get(mgrKey) : undefined;
      const mgrDn = mgrCso
        ? (mgrCso.pending?.changes.distinguishedName ?? mgrCso.attrs.distinguishedName ?? null)
        : null;
      return {
        sAMAccountName: a.accountName,
        userPrincipalName: `${a.accountName}@contoso.com`,
        displayName: a.displayName,
        givenName: a.givenName,
        sn: a.sn,
        mail: a.mail,
        department: a.department,
        title: a.title,
        physicalDeliveryOfficeName: a.location,
        employeeID: a.employeeId,
        manager: mgrDn,
        distinguishedName: `CN=${dnEscape(a.displayName ?? "")},OU=${a.department},OU=People,OU=Contoso,DC=contoso,DC=local`,
      };
    }
    const mgrKey = manager?.links.snow;
    const mgrCso = mgrKey ? this.systems.snow.cs.get(mgrKey) : undefined;
    return {
      user_name: a.accountName,
      email: a.mail,
      first_name: a.givenName,
      last_name: a.sn,
      department: a.department,
      title: a.title,
      location: a.location,
      employee_number: a.employeeId,
      manager: mgrCso && !mgrCso.placeholder ? mgrCso.externalId : null,
      active: "true",
    };
  }

  // ---------- drift ----------

  private activeHr(): RealObject[] {
    return [...this.systems.hr.real.values()].filter((p) => p.attrs.employmentStatus === "Active" && p.externalId);
  }

  private touch(key: SystemKey, row: RealObject) {
    this.systems[key].changeLog.add(row.rowKey);
  }

  private breakManager(p: RealObject, log: boolean) {
    p.attrs.manager = `E${this.rng.int(900000, 999999)}`;
    const cso = this.systems.hr.cs.get(p.rowKey);
    if (cso && !log) {
      cso.attrs.manager = p.attrs.manager;
      this.systems.hr.syncDirty.add(p.rowKey);
    }
    if (log) this.touch("hr", p);
  }

  hire(): RealObject {
    const managers = this.activeHr()
      .filter((p) => /Manager|Lead|Controller|Principal/.test(p.attrs.title ?? ""))
      .map((p) => p.externalId!);
    const p = this.makePerson(managers);
    p.attrs.startDate = new Date(this.lastAdvance).toISOString().slice(0, 10);
    this.systems.hr.real.set(p.rowKey, p);
    this.touch("hr", p);
    if (this.rng.chance(0.7)) {
      const row = this.payrollRow(p);
      this.systems.payroll.real.set(row.rowKey, row);
      this.touch("payroll", row);
    }
    return p;
  }

  leave(p?: RealObject) {
    const person = p ?? this.rng.pick(this.activeHr());
    if (!person) return;
    person.attrs.employmentStatus = "Terminated";
    this.touch("hr", person);
    // HR usually moves a leaving manager's reports to someone else straight away (not always).
    const others = this.activeHr().filter(
      (p) => p !== person && /Manager|Lead|Controller|Principal/.test(p.attrs.title ?? ""),
    );
    for (const p of this.systems.hr.real.values()) {
      if (
        p.attrs.manager !== person.externalId ||
        p.attrs.employmentStatus !== "Active" ||
        !others.length ||
        this.rng.chance(0.1)
      )
        continue;
      p.attrs.manager = this.rng.pick(others).externalId;
      this.touch("hr", p);
    }
    if (this.rng.chance(0.6)) {
      for (const row of this.systems.payroll.real.values())
        if (row.attrs.employeeId === person.externalId) {
          row.attrs.status = "Final pay";
          this.touch("payroll", row);
          break;
        }
    }
  }

  /** Applies the changes the connected systems went through over `simMinutes` of simulated time. */
  drift(simMinutes: number) {
    if (simMinutes <= 0) return;
    const r = this.rng;
    const scale = (simMinutes / 60) * (this.size / 1500);
    const times = (rate: number) => r.poisson(rate * scale);
    const hr = this.systems.hr;
    for (let i = times(DRIFT_RATES.hire); i > 0; i--) this.hire();
    for (let i = times(DRIFT_RATES.leaver); i > 0; i--) this.leave();
    const active = this.activeHr();
    if (active.length === 0) return;
    for (let i = times(DRIFT_RATES.attributeChange); i > 0; i--) {
      const p = r.pick(active);
      const kind = r.next();
      if (kind < 0.45) p.attrs.title = r.pick(TITLES[p.attrs.department ?? "Finance"] ?? TITLES.Finance);
      else if (kind < 0.7) {
        p.attrs.department = r.pick(DEPARTMENTS);
        p.attrs.title = r.pick(TITLES[p.attrs.department]);
      } else if (kind < 0.9) p.attrs.location = r.pick(LOCATIONS);
      else {
        p.attrs.sn = r.pick(SURNAMES);
        p.attrs.displayName = `${p.attrs.givenName} ${p.attrs.sn}`;
        p.displayName = p.attrs.displayName;
      }
      this.touch("hr", p);
    }
    for (let i = times(DRIFT_RATES.managerChange); i > 0; i--) {
      const p = r.pick(active);
      p.attrs.manager = r.pick(active).externalId;
      this.touch("hr", p);
    }
    for (let i = times(DRIFT_RATES.hrBadManager); i > 0; i--) this.breakManager(r.pick(active), true);
    for (let i = times(DRIFT_RATES.hrNewMissingId); i > 0; i--) {
      const p = this.hire();
      p.externalId = null;
      p.attrs.employeeId = null;
    }
    for (let i = times(DRIFT_RATES.hrNewDuplicate); i > 0; i--) {
      const orig = r.pick(active);
      const dup = this.makePerson([], orig.attrs.department!);
      dup.externalId = orig.externalId;
      dup.attrs.employeeId = orig.externalId;
      dup.attrs.manager = orig.attrs.manager;
      hr.real.set(dup.rowKey, dup);
      this.touch("hr", dup);
    }
    for (let i = times(DRIFT_RATES.hrFixMissingId); i > 0; i--) {
      const broken = [...hr.importErrors]
        .map((k) => hr.real.get(k))
        .filter((p): p is RealObject => !!p && !p.externalId);
      if (!broken.length) break;
      const p = r.pick(broken);
      p.externalId = this.newEmployeeId();
      p.attrs.employeeId = p.externalId;
      this.touch("hr", p);
    }
    // Active Directory: administrators edit managed attributes (drift), groups change, accidents.
    const ad = this.systems.ad;
    const adUsers = [...ad.real.values()].filter((o) => o.objectType === "user" && o.attrs.employeeID);
    const adGroups = [...ad.real.values()].filter((o) => o.objectType === "group");
    for (let i = times(DRIFT_RATES.adAdminEdit); i > 0 && adUsers.length; i--) {
      const u = r.pick(adUsers);
      if (r.chance(0.5)) u.attrs.title = r.pick(TITLES[r.pick(DEPARTMENTS)]);
      else u.attrs.physicalDeliveryOfficeName = r.pick(LOCATIONS);
      this.touch("ad", u);
    }
    for (let i = times(DRIFT_RATES.adGroupChange); i > 0 && adGroups.length && adUsers.length; i--) {
      const g = r.pick(adGroups);
      g.members ??= [];
      if (g.members.length && r.chance(0.4)) g.members.splice(r.int(0, g.members.length - 1), 1);
      else {
        const dn = r.pick(adUsers).attrs.distinguishedName!;
        if (!g.members.includes(dn)) g.members.push(dn);
      }
      this.touch("ad", g);
    }
    for (let i = times(DRIFT_RATES.adAccidentalDelete); i > 0 && adUsers.length; i--) {
      const u = r.pick(adUsers);
      ad.real.delete(u.rowKey);
      this.touch("ad", u);
    }
    for (let i = times(DRIFT_RATES.adNewContact); i > 0; i--) this.addContact(true);
    for (let i = times(DRIFT_RATES.adServiceAccount); i > 0; i--) this.addServiceAccount(true);
    const snowUsers = [...this.systems.snow.real.values()];
    for (let i = times(DRIFT_RATES.snowAdminEdit); i > 0 && snowUsers.length; i--) {
      const u = r.pick(snowUsers);
      u.attrs.department = r.pick(DEPARTMENTS);
      this.touch("snow", u);
    }
    const pay = [...this.systems.payroll.real.values()];
    for (let i = times(DRIFT_RATES.payrollChange); i > 0 && pay.length; i--) {
      const row = r.pick(pay);
      if (r.chance(0.6)) row.attrs.costCentre = r.pick(COST_CENTRES);
      else row.attrs.grade = `G${r.int(3, 12)}`;
      this.touch("payroll", row);
    }
  }

  /** Moves simulated time to `now` (ms), drifting by the elapsed time times `factor`. */
  advance(now: number, factor = 1) {
    const minutes = ((now - this.lastAdvance) / 60_000) * factor;
    this.lastAdvance = Math.max(this.lastAdvance, now);
    if (minutes > 0) this.drift(Math.min(minutes, 7 * 24 * 60));
  }

  /** Rough population figures, for logs and tests. */
  stats() {
    return {
      hrRows: this.systems.hr.real.size,
      metaverse: this.mv.size,
      adObjects: this.systems.ad.real.size,
      snowObjects: this.systems.snow.real.size,
      pendingExports: TARGET_KEYS.reduce(
        (n, t) => n + [...this.systems[t].cs.values()].filter((c) => c.pending && c.pending.state === "pending").length,
        0,
      ),
    };
  }
}
