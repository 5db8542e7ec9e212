import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../../config/paths.js';

const service = z.object({
  image: z.string().optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.unknown()).optional(),
});
const compose = z.object({
  services: z.record(z.string(), service),
  networks: z.object({
    default: z.object({ ipam: z.object({ config: z.array(z.object({ subnet: z.string() })) }) }),
  }),
});

const file = compose.parse(
  parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')),
);
const { freeswitch, drachtio, gateway } = file.services;
const commandOf = (s: z.infer<typeof service> | undefined) =>
  Array.isArray(s?.command) ? s.command.join(' ') : (s?.command ?? '');

/** `${NAME:-default}` as compose reads it with NAME unset. */
const withDefaults = (text: string) => text.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('the SIP services of docker-compose.yml', () => {
  it("publishes exactly the RTP range FreeSWITCH's mounted switch.conf.xml gives it", () => {
    const mount = freeswitch?.volumes?.find((v) => v.includes('autoload_configs/switch.conf.xml'));
    expect(mount).toBeDefined();
    const source = mount!.split(':')[0]!;
    // Comments removed first: the image's own file keeps these very params in a comment.
    const xml = readFileSync(path.join(projectRoot, source), 'utf8').replace(
      /<!--[\s\S]*?-->/g,
      '',
    );
    const param = (name: string) =>
      Number(new RegExp(`<param name="${name}" value="(\\d+)"`).exec(xml)?.[1]);
    const published = freeswitch?.ports?.map((p) => /^'?(\d+)-(\d+):(\d+)-(\d+)\/udp/.exec(p));
    expect(published?.filter(Boolean)).toHaveLength(1);
    const [, hostFrom, hostTo, from, to] = published!.find(Boolean)!;
    expect([Number(from), Number(to)]).toEqual([param('rtp-start-port'), param('rtp-end-port')]);
    expect([hostFrom, hostTo]).toEqual([from, to]);
    expect(commandOf(freeswitch)).not.toMatch(/--rtp-range/);
  });

  it('gives FreeSWITCH the event socket password the gateway logs in with', () => {
    const password = /--password (\S+)/.exec(commandOf(freeswitch))?.[1];
    expect(password).toBe('${FREESWITCH_SECRET:-ClueCon}');
    expect(gateway?.environment?.FREESWITCH_SECRET).toBe(password);
  });

  it('keeps FreeSWITCH to G.711, as trunks expect', () => {
    expect(commandOf(freeswitch)).toContain('--g711-only');
  });

  it("tells drachtio which addresses are on compose's own network, so FreeSWITCH's BYEs come back", () => {
    const localNet = /--local-net (\S+)/.exec(commandOf(drachtio))?.[1];
    expect(localNet).toBeDefined();
    expect(withDefaults(localNet!)).toBe(
      withDefaults(file.networks.default.ipam.config[0]!.subnet),
    );
  });

  it('pins every image to a version, here and in .env.example', () => {
    const env = readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
    const images = [
      ...Object.values(file.services).flatMap((s) => (s.image ? [withDefaults(s.image)] : [])),
      ...[...env.matchAll(/^[A-Z_]+_IMAGE=(.+)$/gm)].map((m) => m[1]!),
    ];
    expect(images.length).toBeGreaterThan(4);
    for (const image of images) expect(image).toMatch(/:(?!latest$)[\w.-]+$/);
  });
});
