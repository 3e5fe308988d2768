import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzTableModule } from 'ng-zorro-antd/table';
import { Actions } from '../../core/actions';
import { ApiError, toApiError } from '../../core/api-error';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { ProblemTextPipe } from '../../core/error-text';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SessionStore } from '../../core/session';
import { IpamApiService } from './ipam-api.service';
import { importRowErrors, type ImportRowError } from './ipam-format';

/** Prefix spreadsheets in and out. A refused import shows every bad row by row number and column. */
@Component({
  selector: 'app-ipam-prefix-import',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzAlertModule, NzButtonModule, NzInputModule, NzTableModule, ErrorAlertComponent, ProblemTextPipe, TranslatePipe],
  template: `
    <p class="hint">{{ 'ipam.import.header' | t }} <code>vrf,cidr,kind,status,unit_code,plane_id,description</code> · {{ 'ipam.import.hint' | t }}</p>
    @if (canWrite()) {
      <label class="file">{{ 'ipam.import.file' | t }} <input type="file" accept=".csv,text/csv" (change)="readFile($event)" /></label>
      <p><label for="ipam-import-csv">{{ 'ipam.import.text' | t }}</label></p>
      <textarea nz-input id="ipam-import-csv" class="csv" rows="8" [formControl]="csvCtl"></textarea>
      <p>
        <button nz-button nzType="primary" class="run-import" [nzLoading]="actions.busy('import')" [disabled]="!csv().trim()" (click)="runImport()">{{ 'ipam.import.run' | t }}</button>
        <button nz-button class="export" (click)="exportCsv()">{{ 'ipam.export' | t }}</button>
      </p>
    } @else {
      <p><button nz-button class="export" (click)="exportCsv()">{{ 'ipam.export' | t }}</button></p>
    }
    @if (done() !== null) {
      <nz-alert nzType="success" class="import-done" [nzMessage]="'ipam.import.done' | t: { n: done()! }" nzShowIcon />
    }
    <app-error-alert [error]="error()" />
    @if (rowErrors().length) {
      <nz-alert nzType="error" class="import-refused" [nzMessage]="'ipam.import.refused' | t: { n: rowErrors().length }" nzShowIcon />
      <nz-table #errs [nzData]="rowErrors()" nzSize="small" [nzPageSize]="50" class="row-errors">
        <thead>
          <tr><th>{{ 'ipam.import.row' | t }}</th><th>{{ 'ipam.import.column' | t }}</th><th>{{ 'ipam.import.message' | t }}</th></tr>
        </thead>
        <tbody>
          @for (e of errs.data; track $index) {
            <tr class="row-error"><td>{{ e.row }}</td><td><code>{{ e.column }}</code></td><td>{{ e.problem | problemText }}</td></tr>
          }
        </tbody>
      </nz-table>
    }
  `,
})
export class PrefixImportComponent {
  private readonly api = inject(IpamApiService);
  private readonly session = inject(SessionStore);

  /** The CSV to import: typed, or read from a chosen file. */
  protected readonly csvCtl = new FormControl('', { nonNullable: true });
  protected readonly csv = toSignal(this.csvCtl.valueChanges, { initialValue: '' });
  protected readonly done = signal<number | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly rowErrors = signal<ImportRowError[]>([]);
  /** The import clears the last one's result and row problems as it starts. */
  protected readonly actions = new Actions<'import'>({
    error: this.error,
    clear: () => {
      this.done.set(null);
      this.rowErrors.set([]);
    },
  });
  protected readonly canWrite = () => this.session.hasAnyRole(['admin', 'network-engineer']);

  protected async readFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) this.csvCtl.setValue(await file.text());
  }

  protected async runImport(): Promise<void> {
    await this.actions.run('import', async () => {
      try {
        this.done.set((await this.api.importPrefixes(this.csv())).imported);
      } catch (err) {
        // Row problems go to the table; anything else (rights, network) to the alert.
        const rows = importRowErrors(toApiError(err).fields);
        if (!rows.length) throw err;
        this.rowErrors.set(rows);
      }
    });
  }

  protected async exportCsv(): Promise<void> {
    try {
      const { csv } = await this.api.exportPrefixes();
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `prefixes-${new Date().toISOString().slice(0, 10)}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
