"""A minimal Chrome DevTools Protocol client over the standard library: headless Chromium started
with --remote-debugging-port=0, one page target, JSON commands over a WebSocket (RFC 6455 client
frames, masked). Enough for navigate, evaluate, set headers and screenshot; nothing else."""
import base64
import json
import os
import pathlib
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request


class Browser:
    def __init__(self, chromium='chromium', width=1280, height=1500):
        self.profile = tempfile.mkdtemp(prefix='silicon-ui-')
        # As root (CI) Chromium needs --no-sandbox; the rest keeps it off a network it cannot reach.
        self.process = subprocess.Popen(
            [chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync',
             '--remote-debugging-port=0', f'--user-data-dir={self.profile}', f'--window-size={width},{height}',
             'about:blank'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = pathlib.Path(self.profile) / 'DevToolsActivePort'
        for _ in range(200):
            if port_file.exists() and port_file.read_text().count('\n') >= 1:
                break
            time.sleep(0.05)
        port = int(port_file.read_text().split('\n')[0])
        for _ in range(100):
            targets = json.load(urllib.request.urlopen(f'http://127.0.0.1:{port}/json/list', timeout=5))
            pages = [t for t in targets if t['type'] == 'page']
            if pages:
                break
            time.sleep(0.05)
        self.socket = self._connect(pages[0]['webSocketDebuggerUrl'])
        self.next_id = 0

    @staticmethod
    def _connect(url):
        host_port, path = url[len('ws://'):].split('/', 1)
        host, port = host_port.split(':')
        sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((f'GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                      f'Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n').encode())
        response = b''
        while b'\r\n\r\n' not in response:
            response += sock.recv(4096)
        if b' 101 ' not in response.split(b'\r\n')[0]:
            raise RuntimeError(f'DevTools refused the WebSocket: {response[:200]!r}')
        return sock

    def _send(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack('>H', len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack('>Q', len(payload))
        self.socket.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read_exact(self, n):
        data = b''
        while len(data) < n:
            chunk = self.socket.recv(n - len(data))
            if not chunk:
                raise RuntimeError('DevTools closed the connection')
            data += chunk
        return data

    def _receive(self):
        message = b''
        while True:
            first, second = self._read_exact(2)
            length = second & 0x7f
            if length == 126:
                length = struct.unpack('>H', self._read_exact(2))[0]
            elif length == 127:
                length = struct.unpack('>Q', self._read_exact(8))[0]
            message += self._read_exact(length)
            if first & 0x80:  # FIN
                return json.loads(message)

    def send(self, method, **params):
        """Runs one command and returns its result (events that arrive meanwhile are dropped)."""
        self.next_id += 1
        self._send(json.dumps({'id': self.next_id, 'method': method, 'params': params}))
        while True:
            reply = self._receive()
            if reply.get('id') == self.next_id:
                if 'error' in reply:
                    raise RuntimeError(f'{method}: {reply["error"]}')
                return reply.get('result', {})

    def evaluate(self, expression):
        result = self.send('Runtime.evaluate', expression=expression, returnByValue=True)
        if 'exceptionDetails' in result:
            raise RuntimeError(f'{expression}: {result["exceptionDetails"]}')
        return result['result'].get('value')

    def wait_for(self, expression, timeout=20, what=None):
        deadline = time.time() + timeout
        last_error = None
        while time.time() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError as error:  # the page is still loading: no body yet, say
                value, last_error = None, error
            if value:
                return value
            time.sleep(0.25)
        raise AssertionError(f'timed out after {timeout} s waiting for {what or expression} (last error: {last_error})')

    def screenshot(self, path):
        data = self.send('Page.captureScreenshot', format='png')['data']
        pathlib.Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        self.process.kill()
        self.process.wait()
