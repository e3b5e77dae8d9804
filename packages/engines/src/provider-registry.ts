import { currentEnvironment, type Environment } from './environment.js';
import { EngineUnavailableError, UnknownEngineError, firstLine } from './registry-errors.js';

/** Whether a provider can run here. `auto: false`: usable by name, skipped by `auto` (e.g. a software GPU). */
export interface Availability {
  available: boolean;
  /** Why it is unavailable, or a note about it (e.g. "software adapter") when available. */
  reason?: string;
  /** Default true when available. */
  auto?: boolean;
}

/**
 * What a provider runs on here, for benchmarks and logs; each provider fills what it knows (the `cpu` engine
 * and matmul provider: kernel variant, CPU, threads; `webgpu`: the adapter).
 */
export interface ProviderDetails {
  /** Native kernel variant in use (`cpu`: avx512 / avx2 / base). */
  kernel?: string;
  /** Kernel variants this CPU supports, best first (`cpu`). */
  kernelsSupported?: string[];
  cpuModel?: string;
  /** Threads the provider runs (`cpu`). */
  threads?: number;
  /** The WebGPU adapter, e.g. "nvidia hopper" or "google swiftshader [software]" (`webgpu`). */
  adapter?: string;
  /** The adapter is a software rasterizer (SwiftShader, llvmpipe, ...). */
  software?: boolean;
}

/**
 * A lazily loaded provider (an engine factory, a matmul function) with its priority and availability.
 * `R` is what a caller may require of it (engines: the SaeConfig they will load).
 */
export interface Registration<P, R = never> {
  name: string;
  /** `auto` prefers higher priorities. */
  priority: number;
  /** Environments it can run in; elsewhere it is listed as unavailable and never probed or loaded. */
  environments: readonly Environment[];
  description: string;
  /**
   * An optional provider (an optional peer package, a GPU): `auto` tries it, but skipping it is not a
   * fallback. The top choice whose absence `auto` reports is the best non-optional one.
   */
  optional?: boolean;
  /** Probed once (the result is cached); a throw counts as unavailable with its message as the reason. */
  availability(): Availability | Promise<Availability>;
  /** Loads the provider, typically through a dynamic import() so that nothing is loaded before use. */
  load(): Promise<P>;
  /** What it runs on here; given the instance made (an engine) when there is one. */
  details?(instance?: unknown): ProviderDetails | Promise<ProviderDetails>;
  /**
   * Throws (a typed one-line error) when it cannot serve `requirement` (engines: an architecture without kernels);
   * `auto` then skips it, a request by name rethrows. Absent: it serves every requirement.
   */
  supports?(requirement: R): void | Promise<void>;
}

/** What `list` reports for one registration. */
export interface ProviderInfo {
  name: string;
  priority: number;
  available: boolean;
  reason?: string;
  /** Whether `auto` may pick it. */
  auto: boolean;
  optional: boolean;
  environments: readonly Environment[];
  description: string;
}

/** The outcome of `auto`: the chosen provider and, when it is not the top choice, a note saying why. */
export interface AutoChoice<T> {
  name: string;
  value: T;
  fallbackNote?: string;
}

/** Providers by name, as tfjs registers backends: registered eagerly, probed and loaded on first use. */
export class ProviderRegistry<P, R = never> {
  private readonly entries = new Map<string, Registration<P, R>>();
  private readonly probes = new Map<string, Promise<Availability>>();

  /** `kind` names the provider in messages: `engine`, `matmul provider`. */
  constructor(readonly kind: string) {}

  /** Register (or replace) a provider; replacing forgets its cached availability. */
  register(registration: Registration<P, R>): void {
    if (!registration.name || registration.name === 'auto') {
      throw new TypeError(`${this.kind} registration: '${registration.name}' cannot be a name`);
    }
    if (!Number.isFinite(registration.priority)) throw new TypeError(`${this.kind} '${registration.name}': priority must be a finite number`);
    this.entries.set(registration.name, registration);
    this.probes.delete(registration.name);
  }

  /** Remove a provider; returns whether it was registered. */
  unregister(name: string): boolean {
    this.probes.delete(name);
    return this.entries.delete(name);
  }

  /** Registered names, highest priority first. */
  names(): string[] {
    return this.sorted().map((r) => r.name);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The registration of `name`, or an UnknownEngineError listing `auto` and every registered name. */
  get(name: string): Registration<P, R> {
    const entry = this.entries.get(name);
    if (!entry) throw new UnknownEngineError(this.kind, name, ['auto', ...this.names()]);
    return entry;
  }

  /** Availability of `name` here (probed once; not probed outside its environments). */
  availability(name: string): Promise<Availability> {
    const entry = this.get(name);
    const env = currentEnvironment();
    if (!entry.environments.includes(env)) {
      return Promise.resolve({ available: false, auto: false, reason: `runs only in ${entry.environments.join(' or ')} (this is ${env})` });
    }
    let probe = this.probes.get(name);
    if (!probe) {
      probe = Promise.resolve()
        .then(() => entry.availability())
        .then(
          (a) => ({ ...a, auto: a.available && a.auto !== false }),
          (err: unknown) => ({ available: false, auto: false, reason: firstLine(err) }),
        );
      this.probes.set(name, probe);
    }
    return probe;
  }

  /** Every registration with its availability here, highest priority first. */
  async list(): Promise<ProviderInfo[]> {
    return Promise.all(
      this.sorted().map(async (r) => {
        const a = await this.availability(r.name);
        const info: ProviderInfo = {
          name: r.name,
          priority: r.priority,
          available: a.available,
          auto: a.auto !== false && a.available,
          optional: r.optional === true,
          environments: r.environments,
          description: r.description,
        };
        if (a.reason !== undefined) info.reason = a.reason;
        return info;
      }),
    );
  }

  /**
   * Load `name` and make its product with `make`; EngineUnavailableError when it cannot run here, and the
   * error of its `supports` when it cannot serve `requirement` (given one).
   */
  async create<T>(name: string, make: (provider: P, registration: Registration<P, R>) => Promise<T>, requirement?: R): Promise<T> {
    const entry = this.get(name);
    const a = await this.availability(name);
    if (!a.available) throw new EngineUnavailableError(this.kind, name, a.reason ?? 'unknown reason');
    if (requirement !== undefined) await entry.supports?.(requirement);
    return make(await entry.load(), entry);
  }

  /** What `name` runs on here (EngineUnavailableError when it cannot run here); `instance`: one it made. */
  async details(name: string, instance?: unknown): Promise<ProviderDetails> {
    const entry = this.get(name);
    const a = await this.availability(name);
    if (!a.available) throw new EngineUnavailableError(this.kind, name, a.reason ?? 'unknown reason');
    return entry.details ? entry.details(instance) : {};
  }

  /**
   * `auto`: try the providers `auto` may pick, highest priority first, until one is made; with a `requirement`,
   * those whose `supports` refuses it are skipped. The note says why the top choice (the best non-optional
   * provider of this environment) was not used.
   */
  async createAuto<T>(make: (provider: P, registration: Registration<P, R>) => Promise<T>, requirement?: R): Promise<AutoChoice<T>> {
    const infos = await this.list();
    const env = currentEnvironment();
    const top = infos.find((i) => !i.optional && i.environments.includes(env));
    const failures = new Map<string, string>();
    for (const info of infos) {
      if (!info.auto) continue;
      const entry = this.get(info.name);
      try {
        if (requirement !== undefined) await entry.supports?.(requirement);
        const value = await make(await entry.load(), entry);
        const choice: AutoChoice<T> = { name: info.name, value };
        if (top && top.priority > info.priority) {
          const why = failures.get(top.name) ?? top.reason ?? 'not selectable by auto';
          choice.fallbackNote = `${this.kind} '${top.name}' unavailable (${why}); using '${info.name}'`;
        }
        return choice;
      } catch (err) {
        failures.set(info.name, firstLine(err));
      }
    }
    const why = infos.map((i) => `${i.name}: ${failures.get(i.name) ?? i.reason ?? 'not selectable by auto'}`).join('; ');
    throw new EngineUnavailableError(this.kind, 'auto', `no ${this.kind} can run here (${why})`);
  }

  private sorted(): Registration<P, R>[] {
    // Stable: equal priorities keep registration order.
    return [...this.entries.values()].sort((a, b) => b.priority - a.priority);
  }
}
