// An independent RFC 8291 / RFC 8292 peer for Herald's interop test (tests/integration/
// tst_webpushinterop): the npm web-push package and the http_ece package it encrypts with.
// Every command reads its input from stdin and writes one line to stdout.
//   decrypt PRIVATE AUTH   stdin: an aes128gcm blob in base64url -> the plaintext
//   encrypt P256DH AUTH    stdin: a plaintext -> web-push's aes128gcm blob in base64url
//   vapid AUDIENCE SUBJECT PUBLIC PRIVATE -> web-push's VAPID Authorization header value
//   vapid-keys             -> {"publicKey","privateKey"} from web-push's generateVAPIDKeys()
'use strict';
const crypto = require('crypto');
const ece = require('http_ece');
const webpush = require('web-push');

function readStdin() {
  const chunks = [];
  const fd = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n = 0;
    try {
      n = require('fs').readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      if (e.code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'decrypt': {
    const receiver = crypto.createECDH('prime256v1');
    receiver.setPrivateKey(Buffer.from(args[0], 'base64url'));
    const blob = Buffer.from(readStdin().toString().trim(), 'base64url');
    const plaintext = ece.decrypt(blob, {
      version: 'aes128gcm',
      privateKey: receiver,
      authSecret: Buffer.from(args[1], 'base64url'),
    });
    process.stdout.write(plaintext.toString('base64url') + '\n');
    break;
  }
  case 'encrypt': {
    const out = webpush.encrypt(args[0], args[1], readStdin(), 'aes128gcm');
    process.stdout.write(out.cipherText.toString('base64url') + '\n');
    break;
  }
  case 'vapid': {
    const headers = webpush.getVapidHeaders(args[0], args[1], args[2], args[3], 'aes128gcm');
    process.stdout.write(headers.Authorization + '\n');
    break;
  }
  case 'vapid-keys':
    process.stdout.write(JSON.stringify(webpush.generateVAPIDKeys()) + '\n');
    break;
  default:
    process.stderr.write('unknown command ' + command + '\n');
    process.exit(2);
}
