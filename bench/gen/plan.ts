/**
 * The plan: one compact row per event (time, recipient account, region, operation, actor, flags) in
 * typed arrays on SharedArrayBuffers, plus a small actor table. Records are rendered from it later,
 * so memory stays bounded (about 30 bytes per event) whatever the archive size.
 */
import { type Mix, OP, opDef } from './ops';
import { Rng } from './rng';
import { FLAG, type Actor } from './types';
import type { World } from './world';

export interface PlanArrays {
  readonly t: Float64Array;
  readonly acct: Uint8Array;
  readonly region: Uint8Array;
  readonly op: Uint16Array;
  readonly actor: Int32Array;
  /** AssumeRole: the actor the call issued (-1 for a failed attempt). */
  readonly aux: Int32Array;
  /** Cross-account copies share an id (→ sharedEventID, requestID and body); -1 otherwise. */
  readonly shared: Int32Array;
  readonly flags: Uint8Array;
}

export interface Plan extends PlanArrays {
  readonly n: number;
  readonly actors: readonly Actor[];
  readonly firstMs: number;
  readonly lastMs: number;
}

function shared<T>(ctor: { new (b: SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number }, n: number): T {
  return new ctor(new SharedArrayBuffer(Math.max(1, n) * ctor.BYTES_PER_ELEMENT));
}

export function allocPlan(n: number): PlanArrays {
  return {
    t: shared(Float64Array, n),
    acct: shared(Uint8Array, n),
    region: shared(Uint8Array, n),
    op: shared(Uint16Array, n),
    actor: shared(Int32Array, n),
    aux: shared(Int32Array, n),
    shared: shared(Int32Array, n),
    flags: shared(Uint8Array, n),
  };
}

export interface Span {
  readonly startMs: number;
  readonly endMs: number;
}

type NewActor = Omit<Actor, 'id'>;

/** Appends events until the plan is full; activities build sessions on top of it. */
export class PlanBuilder {
  n = 0;
  readonly arrays: PlanArrays;
  readonly actors: Actor[] = [];
  private sharedIds = 0;
  private firstMs = Number.POSITIVE_INFINITY;
  private lastMs = Number.NEGATIVE_INFINITY;
  private readonly cached = new Map<string, number>();

  constructor(
    readonly w: World,
    readonly cap: number,
    readonly span: Span,
    readonly rng: Rng,
  ) {
    this.arrays = allocPlan(cap);
  }

  get full(): boolean {
    return this.n >= this.cap;
  }

  addActor(a: NewActor): Actor {
    const actor: Actor = { ...a, id: this.actors.length };
    this.actors.push(actor);
    return actor;
  }

  /** One actor per long-term identity (an IAM user's access key, a service principal). */
  cachedActor(key: string, make: () => NewActor): Actor {
    const id = this.cached.get(key);
    const hit = id === undefined ? undefined : this.actors[id];
    if (hit) return hit;
    const a = this.addActor(make());
    this.cached.set(key, a.id);
    return a;
  }

  nextShared(): number {
    return this.sharedIds++;
  }

  /** Appends one event; false when the plan is full or `t` is past the end of the span. */
  emit(t: number, acct: number, region: number, op: number, actor: Actor, opts: { aux?: number; shared?: number; flags?: number } = {}): boolean {
    if (this.full || t >= this.span.endMs) return false;
    const i = this.n++;
    const a = this.arrays;
    const sec = Math.floor(t / 1000) * 1000;
    a.t[i] = sec;
    a.acct[i] = acct;
    a.region[i] = opDef(op).global ? 0 : region;
    a.op[i] = op;
    a.actor[i] = actor.id;
    a.aux[i] = opts.aux ?? -1;
    a.shared[i] = opts.shared ?? -1;
    a.flags[i] = opts.flags ?? this.errorFlags(op);
    if (sec < this.firstMs) this.firstMs = sec;
    if (sec > this.lastMs) this.lastMs = sec;
    return true;
  }

  /** About 5% of calls fail: mostly denials, some throttling, a few missing resources. */
  errorFlags(op: number): number {
    if (opDef(op).noErrors || !this.rng.chance(0.05)) return 0;
    return [FLAG.denied, FLAG.throttled, FLAG.failed][this.rng.weighted([70, 20, 10])] ?? FLAG.denied;
  }

  pickOp(mix: Mix): number {
    return mix.ops[this.rng.weighted(mix.weights)] ?? OP.getObject;
  }

  /** A start time: weekday-agnostic, but busier in (UTC) business hours of the Americas and Europe. */
  startTime(): number {
    const days = Math.max(1, Math.floor((this.span.endMs - this.span.startMs) / 86_400_000));
    const day = this.rng.int(days);
    const sec = this.rng.chance(0.65) ? 8 * 3600 + this.rng.int(14 * 3600) : this.rng.int(86_400);
    return this.span.startMs + day * 86_400_000 + sec * 1000;
  }

  /** The gap to a session's next call: seconds usually, minutes sometimes. */
  gap(): number {
    return 1000 + (this.rng.chance(0.05) ? this.rng.exp(300_000) : this.rng.exp(20_000));
  }

  homeRegion(): number {
    return this.rng.weighted(this.w.regionWeights);
  }

  build(): Plan {
    return { ...this.arrays, n: this.n, actors: this.actors, firstMs: this.firstMs, lastMs: this.lastMs };
  }
}
