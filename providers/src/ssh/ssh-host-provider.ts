/**
 * Linux hosts over SSH (Debian, Kylin, UOS, openEuler): facts and reachability probes.
 * Only allow-listed commands run; a result is returned whole or not at all.
 */
import type { CallOptions } from '../spi.ts';
import { ProviderError } from '../errors.ts';
import { ipFamilyOf, linuxCommand, type LinuxCommandRequest } from './command-allowlist.ts';
import { archOfMachine, parseIpAddr, parseIpRoute, parseLscpu, parseMeminfo, parseNproc, parseOsRelease, parseUnameMachine } from './linux-facts.ts';
import { garbage } from './parse-errors.ts';
import { parseLinuxPing } from './probe.ts';
import type { SshSessionPool } from './ssh-session-pool.ts';
import type { LinuxFacts, ProbeResult, SshTarget } from './types.ts';

export interface ProbeRequest {
  /** IPv4 or IPv6 literal; host names are refused (no resolver on the far side is trusted). */
  readonly target: string;
  /** 1–10; default 3. */
  readonly count?: number;
}

/** Exit status 127 is the shell's "command not found". */
const COMMAND_NOT_FOUND = 127;

export class SshHostProvider {
  constructor(
    private readonly pool: SshSessionPool,
    readonly target: SshTarget,
  ) {}

  async facts(opts: CallOptions = {}): Promise<LinuxFacts> {
    const op = 'facts';
    const [osText, machineText, nprocText, lscpuText, memText, addrText, r4Text, r6Text] = await Promise.all([
      this.run({ kind: 'os-release' }, op, opts),
      this.run({ kind: 'uname-machine' }, op, opts),
      this.run({ kind: 'nproc' }, op, opts),
      this.run({ kind: 'lscpu' }, op, opts),
      this.run({ kind: 'meminfo' }, op, opts),
      this.run({ kind: 'ip-addr' }, op, opts),
      this.run({ kind: 'ip-route', family: 4 }, op, opts),
      this.run({ kind: 'ip-route', family: 6 }, op, opts),
    ]);
    try {
      const machine = parseUnameMachine(machineText);
      const arch = archOfMachine(machine);
      return {
        os: parseOsRelease(osText),
        machine,
        ...(arch !== undefined ? { arch } : {}),
        cpu: parseLscpu(lscpuText, parseNproc(nprocText)),
        memory: parseMeminfo(memText),
        interfaces: parseIpAddr(addrText),
        routes: [...parseIpRoute(r4Text, 4), ...parseIpRoute(r6Text, 6)],
      };
    } catch (e) {
      throw garbage(this.pool.provider, op, `facts of ${this.target.id}`, e);
    }
  }

  /** `ping` / `ping -6`; no reply at all is a result (`reachable: false`), not an error. */
  async probe(req: ProbeRequest, opts: CallOptions = {}): Promise<ProbeResult> {
    const op = 'probe';
    const family = ipFamilyOf(req.target, op);
    const count = req.count ?? 3;
    const res = await this.pool.exec(this.target, linuxCommand({ kind: 'ping', target: req.target, count }), { op, ...signalOf(opts), timeoutMs: (count * 0.2 + 4) * 1000 });
    if (res.exitCode === COMMAND_NOT_FOUND) throw this.missing(op, 'ping');
    // iputils: 0 = replies, 1 = no reply (still a statistics block), 2 = other error.
    if (res.exitCode !== 0 && res.exitCode !== 1) {
      throw new ProviderError({ provider: this.pool.provider, op, code: 'invalid', reason: 'probe-failed', message: `${this.pool.provider}: ${op} on ${this.target.id}: ping failed: ${firstLine(res.stderr || res.stdout)}` });
    }
    try {
      return parseLinuxPing(res.stdout, { target: req.target, family });
    } catch (e) {
      throw garbage(this.pool.provider, op, 'ping output', e);
    }
  }

  private async run(req: LinuxCommandRequest, op: string, opts: CallOptions): Promise<string> {
    const res = await this.pool.exec(this.target, linuxCommand(req), { op, ...signalOf(opts) });
    if (res.exitCode === COMMAND_NOT_FOUND) throw this.missing(op, req.kind);
    if (res.exitCode !== 0) {
      throw new ProviderError({ provider: this.pool.provider, op, code: 'garbage', reason: 'command-failed', message: `${this.pool.provider}: ${op} on ${this.target.id}: ${req.kind} exited ${res.exitCode}: ${firstLine(res.stderr)}` });
    }
    return res.stdout;
  }

  private missing(op: string, what: string): ProviderError {
    return new ProviderError({ provider: this.pool.provider, op, code: 'invalid', reason: 'command-missing', message: `${this.pool.provider}: ${op} on ${this.target.id}: ${what} is not installed on the host` });
  }
}

export function signalOf(opts: CallOptions): { signal?: AbortSignal } {
  return opts.signal !== undefined ? { signal: opts.signal } : {};
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}
