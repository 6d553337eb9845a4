// 1000+ distinct, realistic browser user agents for benchmarks (no bots among them).
const oses = [
  'Windows NT 10.0; Win64; x64',
  'Macintosh; Intel Mac OS X 10_15_7',
  'X11; Linux x86_64',
  'Linux; Android 14; Pixel 8',
  'Linux; Android 13; SM-S918B',
];

export function userAgents(count = 1000) {
  const out = [];
  for (let major = 90; out.length < count && major < 140; major++) {
    for (const os of oses) {
      for (const build of [0, 6099, 6261]) {
        const mobile = os.includes('Android') ? ' Mobile' : '';
        out.push(
          `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.${build}.0${mobile} Safari/537.36`,
        );
      }
      out.push(
        `Mozilla/5.0 (${os.replace('Win64; x64', `Win64; x64; rv:${major}.0`)}) Gecko/20100101 Firefox/${major}.0`,
      );
    }
    out.push(
      `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${major % 7} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${major % 7} Mobile/15E148 Safari/604.1.${major}`,
    );
  }
  return [...new Set(out)].slice(0, count);
}
