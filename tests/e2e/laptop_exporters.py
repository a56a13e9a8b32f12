"""What the live page's browser tests (ui_test.py, ui_history_test.py) share: a copy of the laptop
tree (intel-hybrid, with laptop-nvme's /proc) that they may rewrite, the exporters they start on
it, and a count of the checks they made."""
import pathlib
import re
import shutil
import subprocess
import tempfile
import time


class LaptopExporters:
    def __init__(self, exporter, fixtures, prefix):
        self.exporter, self.fixtures = exporter, fixtures
        self.work = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
        self.tree = self.work / 'tree'
        shutil.copytree(fixtures / 'intel-hybrid', self.tree, symlinks=True)
        shutil.copytree(fixtures / 'laptop-nvme' / 'proc', self.tree / 'proc', symlinks=True, dirs_exist_ok=True)
        self.processes = []
        self.checks = 0

    def check(self, condition, what):
        self.checks += 1
        if not condition:
            raise AssertionError(what)

    def start(self, *flags, port=0):
        """Starts an exporter on the tree (port 0: a free one); returns the process and its port."""
        log = open(self.work / f'exporter-{len(self.processes)}.log', 'w+')
        process = subprocess.Popen([self.exporter, f'--web.listen-address=127.0.0.1:{port}',
                                    f'--path.procfs={self.tree}/proc', f'--path.sysfs={self.tree}/sys',
                                    f'--path.rootfs={self.fixtures}/laptop-nvme/rootfs', '--no-collector.docker',
                                    *flags], stderr=log)
        self.processes.append(process)
        for _ in range(100):
            log.seek(0)
            found = re.search(r'port=(\d+)', log.read())
            if found:
                return process, int(found.group(1))
            time.sleep(0.05)
        raise AssertionError(f'exporter did not start: {log.read()}')

    def close(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(self.work, ignore_errors=True)
