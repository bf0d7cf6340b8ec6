import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('works with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databasePath: 'data/passerelle.db',
      baseUrl: 'http://localhost:3000',
      demoData: true,
      smtpUrl: '',
      secureCookies: false,
    });
  });

  it('turns demo data off in production, and refuses to force it on', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).demoData).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' })).toThrow(/DEMO_DATA/);
  });

  it('marks cookies Secure when BASE_URL is https, and drops a trailing slash', () => {
    const config = loadConfig({ BASE_URL: 'https://passerelle.forim.net/' });
    expect(config.baseUrl).toBe('https://passerelle.forim.net');
    expect(config.secureCookies).toBe(true);
  });

  it('fails fast with a message naming each bad variable', () => {
    try {
      loadConfig({ PORT: 'trois mille', BASE_URL: 'ftp://x', SMTP_URL: 'mail.example' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('BASE_URL');
      expect(message).toContain('SMTP_URL');
    }
  });

  it('reads TRUST_PROXY as a hop count or the proxies’ addresses, never as “trust everyone”', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1']);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    // `on` made Fastify believe the left-most X-Forwarded-For entry, which the client writes.
    for (const value of ['on', 'true', 'yes']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY.*nombre de proxys.*adresses/s);
    }
    for (const value of ['nginx', '10.0.0.0/33', '1.2.3', '99']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
    }
  });
});
