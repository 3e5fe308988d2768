import { Injectable, inject } from '@angular/core';
import { API } from '../core/api-client';
import type { ApiInputs, ApiOutputs } from '../core/api-types';

export type DeviceRegistrationInput = ApiInputs['devices']['registerDevice'];
export type ClusterRegistrationInput = ApiInputs['devices']['registerCluster'];
export type ScannedKey = ApiOutputs['devices']['scanHostKey'];
export type HostKeyAlarm = ApiOutputs['devices']['alarms']['items'][number];
export type KnownHost = ApiOutputs['devices']['knownHosts']['items'][number];
export type ProbeRecord = ApiOutputs['devices']['runProbe'];
export type ProbeInput = ApiInputs['devices']['runProbe'];
export type DeviceFacts = ApiOutputs['devices']['facts'];
export type CredentialInput = ApiInputs['devices']['rotateCredential']['credential'];

/** The console's way to the devices procedures (clusters, SSH hosts, network devices); specs replace it with a fake. */
@Injectable({ providedIn: 'root' })
export class DevicesApiService {
  // Transitional: views still call these named methods; new code injects API and calls the client directly.
  private readonly client = inject(API);

  registerDevice(input: DeviceRegistrationInput) {
    return this.call(() => this.client.devices.registerDevice.mutate(input));
  }
  registerCluster(input: ClusterRegistrationInput) {
    return this.call(() => this.client.devices.registerCluster.mutate(input));
  }
  scanHostKey(host: string, port: number) {
    return this.call(() => this.client.devices.scanHostKey.query({ host, port }));
  }
  acceptHostKey(host: string, port: number, fingerprint: string) {
    return this.call(() => this.client.devices.acceptHostKey.mutate({ host, port, fingerprint }));
  }
  alarms(open?: boolean) {
    return this.call(() => this.client.devices.alarms.query(open === undefined ? {} : { open }));
  }
  knownHosts() {
    return this.call(() => this.client.devices.knownHosts.query({}));
  }
  runProbe(input: ProbeInput) {
    return this.call(() => this.client.devices.runProbe.mutate(input));
  }
  probes(cloudId: string) {
    return this.call(() => this.client.devices.probes.query({ cloudId, limit: 50 }));
  }
  rotateCredential(id: string, credential: CredentialInput) {
    return this.call(() => this.client.devices.rotateCredential.mutate({ id, credential }));
  }
  facts(id: string) {
    return this.call(() => this.client.devices.facts.query({ id }));
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
