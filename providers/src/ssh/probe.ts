/**
 * Parsing of ping summaries: iputils and busybox (Linux hosts), Huawei VRP and H3C Comware
 * (network devices). Only the statistics block counts; a reply line without its summary
 * (a cut answer) is garbage.
 */
import { ParseError, toInt, toNum } from './parse-errors.ts';
import type { ProbeResult } from './types.ts';

export interface ProbeContext {
  readonly target: string;
  readonly family: 4 | 6;
  readonly vpnInstance?: string;
}

function result(ctx: ProbeContext, transmitted: number, received: number, lossPercent: number, rtt?: { min: number; avg: number; max: number }): ProbeResult {
  if (received > transmitted) throw new ParseError(`received ${received} > transmitted ${transmitted}`);
  if (lossPercent < 0 || lossPercent > 100) throw new ParseError(`loss ${lossPercent}% out of range`);
  return {
    target: ctx.target,
    family: ctx.family,
    ...(ctx.vpnInstance !== undefined ? { vpnInstance: ctx.vpnInstance } : {}),
    transmitted,
    received,
    lossPercent,
    ...(rtt && received > 0 ? { rttMs: rtt } : {}),
    reachable: received > 0,
  };
}

function rttOf(text: string): { min: number; avg: number; max: number } | undefined {
  // iputils: `rtt min/avg/max/mdev = a/b/c/d ms`; busybox, VRP: `round-trip min/avg/max = a/b/c ms`;
  // Comware: `round-trip min/avg/max/std-dev = a/b/c/d ms`.
  const m = /(?:rtt|round-trip) min\/avg\/max(?:\/(?:mdev|std-dev))? = ([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/[\d.]+)? ms/.exec(text);
  if (!m) return undefined;
  return { min: toNum(m[1], 'rtt min'), avg: toNum(m[2], 'rtt avg'), max: toNum(m[3], 'rtt max') };
}

/** iputils `ping -q` and busybox `ping` output. */
export function parseLinuxPing(text: string, ctx: ProbeContext): ProbeResult {
  const m = /^(\d+) packets transmitted, (\d+)(?: packets)? received,(?: \+\d+ errors,)?(?: \+\d+ duplicates,)? (\d+(?:\.\d+)?)% packet loss/m.exec(text);
  if (!m) throw new ParseError('no ping statistics line');
  const received = toInt(m[2], 'received');
  const rtt = rttOf(text);
  if (received > 0 && !rtt) throw new ParseError('replies counted but no round-trip line');
  return result(ctx, toInt(m[1], 'transmitted'), received, toNum(m[3], 'loss'), rtt);
}

/** Huawei VRP: counts on separate lines under `--- X ping statistics ---`. */
export function parseVrpPing(text: string, ctx: ProbeContext): ProbeResult {
  const stats = text.split(/---\s*\S+\s+ping statistics\s*---/)[1];
  if (stats === undefined) throw new ParseError('no ping statistics block');
  const tx = /(\d+) packet\(s\) transmitted/.exec(stats);
  const rx = /(\d+) packet\(s\) received/.exec(stats);
  const loss = /(\d+(?:\.\d+)?)% packet loss/.exec(stats);
  if (!tx || !rx || !loss) throw new ParseError('incomplete ping statistics block');
  const received = toInt(rx[1], 'received');
  const rtt = rttOf(stats);
  if (received > 0 && !rtt) throw new ParseError('replies counted but no round-trip line');
  return result(ctx, toInt(tx[1], 'transmitted'), received, toNum(loss[1], 'loss'), rtt);
}

/** H3C Comware: `--- Ping statistics for X ---` / `--- Ping6 statistics for X ---`. */
export function parseComwarePing(text: string, ctx: ProbeContext): ProbeResult {
  const stats = text.split(/--- Ping6? statistics for [^\n]*---/)[1];
  if (stats === undefined) throw new ParseError('no ping statistics block');
  const m = /(\d+) packet\(s\) transmitted, (\d+) packet\(s\) received, (\d+(?:\.\d+)?)% packet loss/.exec(stats);
  if (!m) throw new ParseError('incomplete ping statistics line');
  const received = toInt(m[2], 'received');
  const rtt = rttOf(stats);
  if (received > 0 && !rtt) throw new ParseError('replies counted but no round-trip line');
  return result(ctx, toInt(m[1], 'transmitted'), received, toNum(m[3], 'loss'), rtt);
}
