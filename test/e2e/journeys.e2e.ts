import { chooseSystem } from '../support/browser.ts';
import { scanPageAndTabs, scanPageText, type TextFinding } from '../support/zh-scan.ts';
import { approveInQueue, revisitUntilStatus, tab, text, waitingForMe } from './support/console-actions.ts';
import { detailLinks, MENU_PAGES, visit } from './support/console-pages.ts';
import { DEPARTMENT, journeyProduct } from './support/journey-product.ts';
import { TEXTS } from './support/journey-texts.ts';
import { formSelects } from './support/resource-form.ts';
import { inPrefix, resourceCells } from './support/system-page.ts';

/**
 * Each user's journey end to end, through the console only (issue 18), in Chinese and again with the English
 * switch: a department user registers a business system and asks for resources; the department admin and a cloud
 * operator approve (the default chain: 部门审批 then 云平台审批); the operator watches the provisioning workflow
 * finish and the overview's approvals drop; a network engineer finds a unit's address and checks its access to a
 * system; an auditor finds the journey in the audit log and verifies the chain. One server and one set of people for
 * both languages (the demo data: 江西省人力资源和社会保障厅（演示） and its systems); each language registers its own
 * system, so the second round sees the first one's data and must still find its own.
 */
describe('user journeys end to end (headless Chromium)', () => {
  const product = journeyProduct();
  const as = product.as;

  /** Detail pages the journeys reached, for the zh-CN scan. */
  const journeyPages: string[] = [];

  for (const lang of ['zh-CN', 'en'] as const) {
    const t = TEXTS[lang];
    let operatorWaitingBefore = 0;
    let requestUrl = '';

    describe(`in ${lang}`, () => {
      it('a department user registers a business system and requests resources for it', async () => {
        const page = await as('li.si', lang);
        await page.goto(`${product.url}/onboarding`);
        await page.fill('input.system-name', t.system);
        await page.click('button.register');
        const row = page.locator('.systems-table tr', { has: page.locator('a.system-link', { hasText: t.system }) });
        await row.waitFor();
        expect(await row.locator('td.status').innerText()).toBe(t.registered);
        expect(await row.innerText()).toContain(DEPARTMENT);

        await page.goto(`${product.url}/requests`);
        await tab(page, t.newTab);
        await page.fill('input.request-title', t.request);
        await chooseSystem(page, '.request-system', t.system);
        const amounts = page.locator('.ant-tabs-tabpane-active nz-input-number input');
        await amounts.nth(0).fill('4');
        await amounts.nth(1).fill('8');
        await amounts.nth(2).fill('100');
        await page.click('button.check');
        // The check shows the placement's rules before anything is submitted; none of them refuses.
        await page.locator('.policy-results li').first().waitFor();
        const outcomes = await page.locator('.policy-results li .outcome').allInnerTexts();
        expect(outcomes).toContain(t.pass);
        await page.click('button.submit');

        await tab(page, t.mineTab);
        const mine = page.locator('table tr', { has: page.locator('a.open', { hasText: t.request }) });
        await mine.waitFor();
        expect(await mine.locator('td.status').innerText()).toContain(t.pending);
        expect(await mine.innerText()).toContain(t.system);
        await mine.locator('a.detail-link').click();
        await page.locator('h2.request-title').waitFor();
        requestUrl = page.url();
        journeyPages.push(new URL(requestUrl).pathname);
        // The chain as the department user sees it: the department's step is deciding, the operators' waits.
        expect(await page.locator('.approval-step .step-status').allInnerTexts()).toEqual([t.stepActive, lang === 'en' ? 'Waiting' : '等待']);
      });

      it('the department admin, then a cloud operator, approve it', async () => {
        const admin = await as('wang.wu', lang);
        expect((await waitingForMe(admin)).titles).toContain(t.request);
        await approveInQueue(admin, product.url, lang, t.request);
        await admin.goto(requestUrl);
        await admin.locator('.approval-step').first().waitFor();
        expect(await admin.locator('.approval-step .step-status').allInnerTexts()).toEqual([t.stepApproved, t.stepActive]);
        expect(await text(admin, '.approval-step .decision .who')).toBe('王五');

        const operator = await as('zhao.liu', lang);
        const before = await waitingForMe(operator);
        expect(before.titles).toContain(t.request);
        operatorWaitingBefore = before.count;
        await approveInQueue(operator, product.url, lang, t.request);
      });

      it('the operator watches it provision and sees the overview change', async () => {
        const page = await as('zhao.liu', lang);
        const after = await waitingForMe(page);
        expect(after.titles).not.toContain(t.request);
        expect(after.count).toBe(operatorWaitingBefore - 1);

        await page.goto(`${product.url}/workflows`);
        const wf = page.locator('.workflows-table tr', { has: page.locator('td.title', { hasText: t.request }) });
        await wf.waitFor();
        await wf.locator('td.title a').click();
        await page.locator('h2.workflow-title').waitFor();
        // Live: the detail follows the workflow to its end (hold, apply to the cloud, commit).
        await page.locator('.workflow-status', { hasText: t.succeeded }).waitFor();
        const steps = await page.locator('.steps-table td.step-status').allInnerTexts();
        expect(steps.length).toBe(3);
        expect(steps.every((s) => s === t.succeeded)).toBeTrue();

        await page.goto(requestUrl);
        await page.locator('h2.request-title .status', { hasText: t.provisioned }).waitFor();
        expect(await page.locator('.approval-step .step-status').allInnerTexts()).toEqual([t.stepApproved, t.stepApproved]);
        expect(await text(page, '.provisioning .workflow-link')).toContain('3/3');
        // The system's quota now holds what was provisioned.
        await page.locator('a.system').click();
        await page.locator('.quota-table tr.usage').first().waitFor();
        journeyPages.push(new URL(page.url()).pathname);
        expect(await page.locator('.quota-table tr.usage td.committed').allInnerTexts()).toEqual(jasmine.arrayWithExactContents(['8', '100', '4']));
      });

      it('a network engineer finds the address of a unit and checks its extranet access', async () => {
        const page = await as('sun.qi', lang);
        await page.goto(`${product.url}/network/units`);
        await page.locator('nz-select.unit-search-select').click();
        await page.keyboard.type('南昌市');
        await page.locator('nz-option-item', { hasText: '3601' }).first().click();
        await page.waitForURL(/\/network\/units\/3601$/);
        await page.locator('h2.unit-title').waitFor();
        expect(await text(page, 'h2.unit-title')).toContain('南昌市');
        const cidrs = await page.locator('.addresses-table td.cidr').allInnerTexts();
        const v4 = cidrs.find((c) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c));
        expect(v4).withContext(`addresses of 3601: ${cidrs.join(', ')}`).toBeDefined();

        await page.locator('a.check-link').click();
        await page.waitForURL(/\/network\/access\?unit=3601/);
        await chooseSystem(page, '.system-select', '社会保障卡服务系统');
        await page.locator('.plane-radio label').first().click();
        await page.locator('.family-radio label', { hasText: 'IPv4' }).click();
        await page.click('button.run-check');
        const verdict = await page.locator('.result .verdict').innerText();
        expect(verdict.startsWith(t.blocked) || verdict.startsWith(t.reachable)).withContext(verdict).toBeTrue();
        // The path names the unit's address found above, and the check is kept in the history.
        const hops = await page.locator('.path .hop').allInnerTexts();
        expect(hops.some((h) => h.includes(v4!))).withContext(hops.join(' | ')).toBeTrue();
        expect(hops.some((h) => h.includes('社会保障卡服务系统'))).toBeTrue();
        await page.locator('.history-table tbody tr').first().waitFor();
      });

      it('an auditor finds the journey in the audit log and verifies the chain', async () => {
        const page = await as('zhou.ba', lang);
        await page.goto(`${product.url}/audit`);
        await page.locator('.audit-table td.procedure', { hasText: 'requests.approve' }).first().waitFor();
        const rows = await page.locator('.audit-table tbody tr[data-seq]').evaluateAll((trs) =>
          trs.map((tr) => `${tr.querySelector('.actor')?.textContent?.trim()} ${tr.querySelector('.procedure')?.textContent?.trim()}`));
        expect(rows).toContain('li.si requests.submit');
        expect(rows).toContain('li.si systems.create');
        expect(rows).toContain('wang.wu requests.approve');
        expect(rows).toContain('zhao.liu requests.approve');
        expect(rows).toContain('workflow requests.provision');
        await page.click('.verify');
        const result = page.locator('.verify-result');
        await result.waitFor();
        expect(await result.getAttribute('class')).not.toContain('error');
        expect((await result.innerText()).trim()).toMatch(t.verified);
      });
    });
  }

  /**
   * Issue 16 through the console: a department user asks for real resources for a system already on a cloud with
   * the resource request form (a dual-stack segment and one host on it, flavour and image from the cloud's own
   * catalogue), sees what it holds against the quota and that it fits before submitting; once both approvers agree,
   * the system's page lists the host and the segment running, with their addresses and the request that made them.
   */
  describe('in zh-CN, with the resource request form', () => {
    const SYSTEM = '就业创业服务平台';
    const TITLE = '就业平台云主机与网段';
    let requestUrl = '';
    let flavour = { id: '', vcpu: 0, memoryGiB: 0 };

    it('a department user builds a host on a dual-stack segment from the cloud’s catalogue and submits it', async () => {
      const page = await as('li.si', 'zh-CN');
      await page.goto(`${product.url}/requests`);
      await tab(page, TEXTS['zh-CN'].newTab);
      await page.getByRole('button', { name: '新建资源申请' }).click();
      const form = page.getByRole('form', { name: '资源申请' });
      // The dialog puts the focus in its first field, the system picker, and leaves it there: the user types the
      // system's name straight away, with no pause for the dialog to settle, and the picker keeps what was typed.
      await form.locator('app-system-picker.rf-system input[role="combobox"]:focus').waitFor();
      await page.keyboard.type(SYSTEM);
      await chooseSystem(page, '.rf-system', SYSTEM);
      // The catalogue names the cloud the system runs on.
      const cloud = form.locator('nz-select.rf-cloud .ant-select-selection-item');
      await cloud.waitFor();
      expect((await cloud.innerText()).trim()).not.toBe('');
      const { options, open, select, choose, pick } = formSelects(page);

      await form.getByRole('button', { name: '+ 网段' }).click();
      const segment = form.getByRole('group', { name: /^网段/ });
      await segment.getByLabel('名称').fill('jyfw-net');
      await pick(select(segment, '网络'), '政务外网');
      expect(await segment.getByLabel('双栈（另加一个 IPv6 /64）').isChecked()).toBeTrue();

      await form.getByRole('button', { name: '+ 云主机' }).click();
      const host = form.getByRole('group', { name: /^云主机/ });
      await host.getByLabel('名称').fill('jyfw-app');
      // A flavour the cloud offers other than the prefilled one, so the effect below follows the choice.
      await open(select(host, '规格（vCPU/内存）'));
      const flavours = (await options.allInnerTexts()).map((o) => /^(\S+) \((\d+) vCPU \/ (\d+) GiB\)$/.exec(o.trim())).filter((m) => m !== null);
      expect(flavours.length).withContext('flavours offered').toBeGreaterThan(1);
      const chosen = flavours.find((m) => m[1] !== 'c2m4')!;
      flavour = { id: chosen[1]!, vcpu: Number(chosen[2]), memoryGiB: Number(chosen[3]) };
      await choose(`${flavour.id} (`);
      await open(select(host, '镜像'));
      const images = (await options.allInnerTexts()).map((o) => o.trim()).filter((o) => !o.endsWith('⚠'));
      expect(images.length).withContext('current images offered').toBeGreaterThan(0);
      await choose(images[0]!);
      expect(await host.locator('nz-select.image .ant-select-selection-item').innerText()).toBe(images[0]!);
      // The form's own segment is offered to sit the host on.
      await pick(select(host, '所在网段'), 'jyfw-net');

      // The quota effect as typed (one host of the flavour, its 40 GiB system disk, a /26 and a /64) …
      expect(await form.locator('ul.effect li').allInnerTexts()).toEqual([
        `vCPU: +${flavour.vcpu}`, `内存 (GiB): +${flavour.memoryGiB}`, '存储 (GiB): +40', 'IPv4 地址: +64', 'IPv6 /64 前缀: +1',
      ]);
      // … and the server's check of it against the system's quota, before anything is submitted.
      await form.getByRole('button', { name: '检查策略与配额' }).click();
      const verdict = form.locator('.quota-check nz-alert');
      await verdict.waitFor();
      expect(await verdict.innerText()).toContain('在配额之内');
      expect(await form.locator('.quota-check .chain').innerText()).toMatch(/^审批 2 步/);

      await form.getByLabel('申请标题').fill(TITLE);
      await page.getByRole('dialog').getByRole('button', { name: '提交申请' }).click();
      await form.waitFor({ state: 'hidden' });

      await tab(page, TEXTS['zh-CN'].mineTab);
      const mine = page.locator('table tr', { has: page.locator('a.open', { hasText: TITLE }) });
      await mine.waitFor();
      expect(await mine.locator('td.status').innerText()).toContain(TEXTS['zh-CN'].pending);
      expect(await mine.innerText()).toContain(SYSTEM);
      await mine.locator('a.detail-link').click();
      await page.locator('h2.request-title').waitFor();
      requestUrl = page.url();
    });

    it('the department admin and a cloud operator approve it in their queues', async () => {
      expect(requestUrl).withContext('the request was submitted').not.toBe('');
      await approveInQueue(await as('wang.wu', 'zh-CN'), product.url, 'zh-CN', TITLE);
      await approveInQueue(await as('zhao.liu', 'zh-CN'), product.url, 'zh-CN', TITLE);
    });

    it('the user finds the host and the segment running on the system’s page, with their addresses and the request', async () => {
      const page = await as('li.si', 'zh-CN');
      // The request page refreshes when the user comes back to it: they look again until it has been delivered.
      await revisitUntilStatus(page, requestUrl, TEXTS['zh-CN'].provisioned);
      await page.locator('a.system').click();
      await page.locator('h2.system-name', { hasText: SYSTEM }).waitFor();
      await page.locator('.resources-table tr.resource').first().waitFor();
      const requestPath = new URL(requestUrl).pathname;
      const seg = await resourceCells(page, 'jyfw-net');
      expect(seg).toEqual({ kind: '网段', size: '/26 + /64', ipv4: jasmine.stringMatching(/^\d+\.\d+\.\d+\.\d+\/26$/) as unknown as string,
        ipv6: jasmine.stringMatching(/^[0-9a-f:]+::\/64$/i) as unknown as string, state: '运行中', createdBy: requestPath });
      const vm = await resourceCells(page, 'jyfw-app');
      expect(vm).toEqual({ kind: '云主机', size: `${flavour.id} · 40 GiB`, ipv4: jasmine.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) as unknown as string,
        ipv6: jasmine.stringMatching(/^[0-9a-f]+(:[0-9a-f]*)+$/i) as unknown as string, state: '运行中', createdBy: requestPath });
      // The host's addresses are on its segment.
      expect(inPrefix(vm.ipv4, seg.ipv4)).withContext(`${vm.ipv4} in ${seg.ipv4}`).toBeTrue();
      expect(vm.ipv6.toLowerCase().startsWith(seg.ipv6.toLowerCase().replace(/::\/64$/, ':'))).withContext(`${vm.ipv6} in ${seg.ipv6}`).toBeTrue();
      // The request that created them is among the system's requests, delivered.
      const req = page.locator('.requests-table tr.request', { has: page.locator('td.title a', { hasText: TITLE }) });
      expect(await req.locator('td.status').innerText()).toBe(TEXTS['zh-CN'].provisioned);
      expect(await req.locator('td.title a').getAttribute('href')).toBe(requestPath);
      journeyPages.push(new URL(page.url()).pathname);
    });
  });

  it('has a zh-CN scan that finds English sentences and UUIDs, and passes names, codes and identifier cells', async () => {
    const page = await as('admin', 'zh-CN');
    await page.setContent(`<main>
      <p>link P1-3601 is down</p><p>no unit address: the VRF cannot be judged</p><p>超出配额：system 17c500aa-1c58-4fc0-b72c-6c6948a1512b</p>
      <p>PE-3601-P1 H3C CR16010-F · Huawei NE40E-X8A · 10.0.0.16/29 · 8 GiB · IPv4 IPv6 VRF</p><p>江西省政务云 · vCPU · RPO / RTO</p>
      <code>request 17c500aa-1c58-4fc0-b72c-6c6948a1512b has been created</code><p title="17c500aa-1c58-4fc0-b72c-6c6948a1512b">有提示的名称</p>
      <p style="display: none">a hidden English sentence</p></main>`);
    const found = await scanPageText(page, 'fixture');
    expect(found.map((f) => `${f.kind}: ${f.text}`)).toEqual([
      'english: link P1-3601 is down', 'english: no unit address: the VRF cannot be judged', 'uuid: 超出配额：system 17c500aa-1c58-4fc0-b72c-6c6948a1512b',
    ]);
  });

  /**
   * Every page of the menu and the detail pages in zh-CN, as the admin sees them after the journeys (so the pages
   * hold requests, workflows, quota shortfalls and access checks): no English sentence, no raw UUID outside
   * identifier columns (support/zh-scan.ts says what counts). Each tab of a page is opened and scanned too.
   */
  it('shows every page in Chinese: no untranslated English sentence, no raw UUID', async () => {
    const page = await as('admin', 'zh-CN');
    const findings: TextFinding[] = [];
    const details = new Set<string>(journeyPages);
    for (const path of MENU_PAGES) {
      await visit(page, product.url, `/${path}`);
      for (const href of await detailLinks(page)) details.add(href);
      findings.push(...(await scanPageAndTabs(page, path || 'overview')));
    }
    for (const path of details) {
      await visit(page, product.url, path);
      findings.push(...(await scanPageAndTabs(page, path)));
    }
    // Pages whose words come after an action: an access check's path, a request's preview (placement and rules).
    await visit(page, product.url, '/network/access?unit=3601');
    await chooseSystem(page, '.system-select', '社会保障卡服务系统');
    // The live probe too: the demo's PEs have no SSH-managed device, so the page says why none ran.
    await page.locator('label.live-box').click();
    for (const plane of [0, 1]) {
      await page.locator('.plane-radio label').nth(plane).click();
      await page.click('button.run-check');
      await page.locator('.result .verdict').waitFor();
      findings.push(...(await scanPageText(page, `network/access (plane ${plane + 1})`)));
    }
    const requester = await as('li.si', 'zh-CN');
    await requester.goto(`${product.url}/requests`);
    await tab(requester, TEXTS['zh-CN'].newTab);
    await chooseSystem(requester, '.request-system', TEXTS['zh-CN'].system);
    await requester.locator('.ant-tabs-tabpane-active nz-input-number input').first().fill('64');
    await requester.click('button.check');
    await requester.locator('.policy-results li').first().waitFor();
    findings.push(...(await scanPageText(requester, 'requests › 新建申请 (checked)')));

    expect(details.size).toBeGreaterThanOrEqual(5);
    expect(findings.map((f) => `${f.page}: ${f.kind} “${f.text}” (${f.where})`)).toEqual([]);
  });
});
