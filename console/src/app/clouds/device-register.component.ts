import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { type ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { FieldErrorPipe } from '../core/field-error.pipe';
import { FormSubmission } from '../core/form-submission';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { DevicesApiService, type ScannedKey } from './devices-api.service';
import { FieldComponent } from '../core/field.component';

type RegisterKind = 'kubernetes' | 'ssh-host' | 'network-device';

/**
 * Registers a Kubernetes cluster or an SSH-managed host / network device. For SSH the host key comes first:
 * read it, compare the fingerprint with the device owner out of band, accept it; only then register. The
 * server connects before it stores anything and names the field to fix when it cannot.
 */
@Component({
  selector: 'app-device-register',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FieldComponent, ReactiveFormsModule, RouterLink, NzAlertModule, NzButtonModule, NzCheckboxModule, NzFormModule, NzInputModule, NzInputNumberModule, NzRadioModule, NzSelectModule, NzTagModule, ErrorAlertComponent, FieldErrorPipe, TranslatePipe],
  templateUrl: './device-register.component.html',
})
export class DeviceRegisterComponent {
  private readonly api = inject(DevicesApiService);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly kinds: readonly RegisterKind[] = ['kubernetes', 'ssh-host', 'network-device'];

  protected readonly form = this.fb.group({
    kind: ['network-device' as RegisterKind],
    id: ['', [Validators.required, Validators.pattern(/^[a-z][a-z0-9-]{1,40}$/)]],
    name: ['', [Validators.required, Validators.minLength(2)]],
    nameEn: ['', [Validators.required, Validators.minLength(2)]],
    region: ['3601', [Validators.required, Validators.pattern(/^36(0[1-9]|1[01])$/)]],
    cloudKind: ['general' as 'general' | 'xinchuang'],
    host: [''],
    port: [22],
    username: [''],
    vendor: ['huawei-vrp' as 'huawei-vrp' | 'h3c-comware'],
    authType: ['password' as 'password' | 'key'],
    credential: this.fb.group({ password: [''], privateKey: [''], passphrase: [''], kubeconfig: [''], token: [''], caData: [''] }),
    server: [''],
    context: [''],
    credentialType: ['kubeconfig' as 'kubeconfig' | 'token'],
    insecureSkipTlsVerify: [false],
  });
  protected readonly submission = new FormSubmission(this.form);

  protected readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly kind = computed(() => this.value().kind ?? 'network-device');
  protected readonly isSsh = computed(() => this.kind() !== 'kubernetes');

  /** The host key step: what the host presents now, and whether it is pinned. */
  protected readonly scanned = signal<ScannedKey | null>(null);
  protected readonly keyError = signal<ApiError | null>(null);
  protected readonly keyBusy = signal(false);
  /** Registration waits for a pinned key on the host:port the form names now. */
  protected readonly keyPinned = computed(() => {
    const s = this.scanned();
    const v = this.value();
    return s !== null && s.status === 'pinned' && s.host === v.host?.trim() && s.port === v.port;
  });

  async scanKey(): Promise<void> {
    const { host, port } = this.form.getRawValue();
    this.keyBusy.set(true);
    this.keyError.set(null);
    this.scanned.set(null);
    try {
      this.scanned.set(await this.api.scanHostKey(host.trim(), port));
    } catch (err) {
      this.keyError.set(toApiError(err));
    } finally {
      this.keyBusy.set(false);
    }
  }

  async acceptKey(): Promise<void> {
    const s = this.scanned();
    if (!s) return;
    this.keyBusy.set(true);
    this.keyError.set(null);
    try {
      await this.api.acceptHostKey(s.host, s.port, s.fingerprint);
      this.scanned.set({ ...s, status: 'pinned', pinned: { fingerprint: s.fingerprint, acceptedBy: '', acceptedAt: new Date().toISOString() } });
    } catch (err) {
      this.keyError.set(toApiError(err));
    } finally {
      this.keyBusy.set(false);
    }
  }

  async register(): Promise<void> {
    const v = this.form.getRawValue();
    const basics = { id: v.id, name: v.name, nameEn: v.nameEn, region: v.region, kind: v.cloudKind, siteRoles: ['production' as const], certifications: [3] };
    const c = v.credential;
    const created = await this.submission.run(() =>
      v.kind === 'kubernetes'
        ? this.api.registerCluster({
            ...basics,
            ...(v.server ? { server: v.server } : {}),
            ...(v.context ? { context: v.context } : {}),
            insecureSkipTlsVerify: v.insecureSkipTlsVerify,
            credential: v.credentialType === 'kubeconfig'
              ? { type: 'kubeconfig', kubeconfig: c.kubeconfig }
              : { type: 'token', token: c.token, ...(c.caData ? { caData: c.caData } : {}) },
          })
        : this.api.registerDevice({
            ...basics, providerKind: v.kind, host: v.host.trim(), port: v.port, username: v.username,
            ...(v.kind === 'network-device' ? { vendor: v.vendor } : {}),
            credential: v.authType === 'password'
              ? { type: 'password', password: c.password }
              : { type: 'key', privateKey: c.privateKey, ...(c.passphrase ? { passphrase: c.passphrase } : {}) },
          }),
    );
    if (created) void this.router.navigate(['/clouds', created.id, 'device']);
  }
}
