import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzTableModule } from 'ng-zorro-antd/table';
import { Actions } from '../core/actions';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { NetworkApiService } from './network-api.service';
import { downloadText } from './network-format';
import { provideNetworkIcons } from './network-icons';
import { NetworkNavComponent } from './network-nav.component';
import type { CsvKind, RowError } from './network-types';

/**
 * CSV import of units and links, all or nothing: "Check" lists every bad row by row number and column;
 * "Import" writes the whole file or nothing (a refused import shows the same table). Export downloads.
 */
@Component({
  selector: 'app-network-csv-import',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzAlertModule, NzButtonModule, NzIconModule, NzInputModule, NzRadioModule, NzTableModule, ErrorAlertComponent, TranslatePipe, NetworkNavComponent],
  providers: [provideNetworkIcons()],
  template: `
    <app-network-nav />
    <div class="toolbar">
      <nz-radio-group class="kind" [formControl]="kindCtl" [attr.aria-label]="'network.csv.kind' | t">
        <label nz-radio-button nzValue="units">{{ 'network.csv.units' | t }}</label>
        <label nz-radio-button nzValue="links">{{ 'network.csv.links' | t }}</label>
      </nz-radio-group>
      <label class="file-label">{{ 'network.csv.file' | t }} <input type="file" accept=".csv,text/csv" class="file" (change)="readFile($event)" /></label>
      <button nz-button class="export" (click)="exportCsv()"><nz-icon nzType="download" />{{ 'network.csv.export' | t }}</button>
    </div>
    <p class="muted columns">{{ 'network.csv.columns' | t }}: <code>{{ columns() }}</code></p>
    <label for="csv-text" class="csv-text-label">{{ 'network.csv.text' | t }}</label>
    <textarea nz-input id="csv-text" class="csv-text" rows="8" [formControl]="csvCtl"></textarea>
    <div class="toolbar">
      <button nz-button class="check" [nzLoading]="actions.busy()" [disabled]="!csv()" (click)="check()">{{ 'network.csv.check' | t }}</button>
      <button nz-button nzType="primary" class="import" [nzLoading]="actions.busy()" [disabled]="!csv()" (click)="importCsv()"><nz-icon nzType="upload" />{{ 'network.csv.import' | t }}</button>
    </div>
    <app-error-alert [error]="error()" />
    @if (notice(); as n) { <nz-alert class="notice" [nzType]="n.type" nzShowIcon [nzMessage]="n.text" /> }
    @if (rowErrors().length) {
      <nz-table #errs class="row-errors" nzSize="small" [nzData]="rowErrors()" [nzPageSize]="50">
        <thead><tr><th>{{ 'network.csv.row' | t }}</th><th>{{ 'network.csv.column' | t }}</th><th>{{ 'network.csv.problem' | t }}</th></tr></thead>
        <tbody>
          @for (e of errs.data; track $index) { <tr><td class="row">{{ e.row }}</td><td class="column">{{ e.column || '—' }}</td><td class="message">{{ e.message }}</td></tr> }
        </tbody>
      </nz-table>
    }
  `,
  styles: `
    .toolbar { display: flex; gap: 12px; align-items: center; margin: 12px 0; flex-wrap: wrap; }
    .muted { color: var(--gy-muted); }
    .csv-text { font-family: monospace; }
    .csv-text-label { display: block; margin-bottom: 4px; }
  `,
})
export class CsvImportComponent {
  private readonly api = inject(NetworkApiService);

  protected readonly kindCtl = new FormControl<CsvKind>('units', { nonNullable: true });
  protected readonly kind = toSignal(this.kindCtl.valueChanges, { initialValue: 'units' as CsvKind });
  /** The CSV: typed, or read from a chosen file. A new text or kind clears the last check's result. */
  protected readonly csvCtl = new FormControl('', { nonNullable: true });
  protected readonly csv = toSignal(this.csvCtl.valueChanges, { initialValue: '' });

  constructor() {
    this.kindCtl.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => this.clearResult());
    this.csvCtl.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => this.clearResult());
  }
  protected readonly rowErrors = signal<RowError[]>([]);
  protected readonly notice = signal<{ type: 'success' | 'info'; text: string } | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  /** Check, import and export run one at a time (one key), each clearing the last result. */
  protected readonly actions = new Actions<'csv'>({ error: this.error, clear: () => this.clearResult() });
  protected readonly columns = () =>
    this.kind() === 'units'
      ? 'code, name, level, parent_code, site_kind, contact_name, contact_phone'
      : 'circuit_id, unit_code, plane, pe, interface, aggregation, ce, bandwidth_mbps, carrier, ducts (a;b), families (ipv4;ipv6), state';

  protected clearResult(): void {
    this.rowErrors.set([]);
    this.notice.set(null);
    this.error.set(null);
  }

  protected readFile(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    void file.text().then((text) => this.csvCtl.setValue(text));
  }

  /** Dry run: every bad row, nothing written. */
  async check(): Promise<void> {
    await this.actions.run('csv', async () => {
      const r = await this.api.importCsv(this.kind(), this.csv(), true);
      this.rowErrors.set(r.errors);
      this.notice.set(r.errors.length ? null : { type: 'info', text: `✓ ${r.rows}` });
    });
  }

  async importCsv(): Promise<void> {
    await this.actions.run('csv', async () => {
      try {
        const r = await this.api.importCsv(this.kind(), this.csv(), false);
        this.notice.set({ type: 'success', text: `✓ ${r.written} / ${r.rows}` });
      } catch (err) {
        this.error.set(toApiError(err));
        // Refused as a whole: show every bad row, as the check would.
        const r = await this.api.importCsv(this.kind(), this.csv(), true);
        this.rowErrors.set(r.errors);
      }
    });
  }

  protected async exportCsv(): Promise<void> {
    await this.actions.run('csv', async () => {
      const { csv } = await this.api.exportCsv(this.kind());
      downloadText(`extranet-${this.kind()}.csv`, csv);
    });
  }
}
