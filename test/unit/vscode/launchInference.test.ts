// F5's launch inference: an `org` means the bare environment even for an `org 0x7c00` source the
// assembler would call a boot sector; otherwise the inferred environment and bits fill the gaps.
import { strict as assert } from 'assert';
import { fillInferredLaunch, type InferableLaunch } from '../../../src/vscode/launchInference';

describe('vscode: launch inference', () => {
  it('an org makes an inferred boot source bare, keeping the inferred bits', () => {
    const c: InferableLaunch = { org: '0x7c00' };
    fillInferredLaunch(c, { environment: 'boot', bits: 16 });
    assert.deepEqual(c, { org: '0x7c00', environment: 'bare', bits: 16 });
  });
  it('without an org the inferred environment and bits are taken', () => {
    const c: InferableLaunch = {};
    fillInferredLaunch(c, { environment: 'dos', bits: 16 });
    assert.deepEqual(c, { environment: 'dos', bits: 16 });
  });
  it("the user's explicit choices win", () => {
    const c: InferableLaunch = { environment: 'linux', bits: 32, org: 0x8048000 };
    fillInferredLaunch(c, { environment: 'bare', bits: 64 });
    assert.deepEqual(c, { environment: 'linux', bits: 32, org: 0x8048000 });
  });
  it('nothing inferred leaves the gaps open unless an org is there', () => {
    const c: InferableLaunch = {};
    fillInferredLaunch(c, undefined);
    assert.deepEqual(c, {});
  });
});
