import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTableModule } from 'ng-zorro-antd/table';
import { DATA_TABLE } from './data-table.component';
import { ErrorAlertComponent } from './error-alert.component';
import { RefreshButtonComponent } from './refresh-button.component';
import { TranslatePipe } from './i18n/t.pipe';

/**
 * What a list page's template is written with: the table (`app-data-table`, or ng-zorro's own), buttons with
 * icons (create, row actions), the refresh button, the error alert above the table, and the `t` pipe. One list
 * kept here so a list page names only what it adds
 * (`imports: [LIST_PAGE_IMPORTS, NzTagModule, FilterSelectComponent]`), as dialogs do with FORM_DIALOG_IMPORTS.
 */
export const LIST_PAGE_IMPORTS = [
  NzButtonModule,
  NzIconModule,
  NzTableModule,
  DATA_TABLE,
  ErrorAlertComponent,
  RefreshButtonComponent,
  TranslatePipe,
] as const;
