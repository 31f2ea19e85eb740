import { describe, expect, it } from 'vitest';
import type { ContractContext } from './context.js';

const secrets = (ns: string) => `/api/v1/namespaces/${ns}/secrets`;

export function secretsContract(ctx: ContractContext) {
  describe('secrets', () => {
    it('write stringData into data as base64, drop it, and default the type to Opaque', async () => {
      const name = ctx.name('secret');
      const created = await ctx.http().post(secrets(ctx.namespace()), {
        metadata: { name },
        data: { kept: Buffer.from('old').toString('base64') },
        stringData: { user: 'admin', kept: 'new' },
      });
      expect(created.status).toBe(201);
      expect(created.body.data).toEqual({
        kept: Buffer.from('new').toString('base64'),
        user: Buffer.from('admin').toString('base64'),
      });
      expect(created.body.stringData).toBeUndefined();
      expect(created.body.type).toBe('Opaque');
      expect(Object.keys(created.body)).toEqual(['kind', 'apiVersion', 'metadata', 'data', 'type']);
      const updated = await ctx
        .http()
        .patch(`${secrets(ctx.namespace())}/${name}`, 'application/merge-patch+json', {
          stringData: { more: 'x' },
        });
      expect(updated.body.data.more).toBe(Buffer.from('x').toString('base64'));
      expect(updated.body.stringData).toBeUndefined();
    });
  });
}
