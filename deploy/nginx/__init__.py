"""Running the shipped nginx locations (`ocop-locations.conf`) in Debian's nginx, for the tests and benchmarks
that measure the site as production serves it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

LOCATIONS = Path(__file__).with_name("ocop-locations.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_start(folder: Path, *, port: int, upstream: str, media_root: Path) -> subprocess.Popen:
    """nginx listening on 127.0.0.1:`port`, proxying to `upstream` with the shipped locations; its files (config,
    pid, temporary folders, error log) under `folder`. The caller terminates it."""
    folder.mkdir(parents=True, exist_ok=True)
    locations = LOCATIONS.read_text().replace("@MEDIA_ROOT@", str(media_root)).replace("@UPSTREAM@", upstream)
    (folder / "ocop-locations.conf").write_text(locations)
    user = "user root;" if os.geteuid() == 0 else ""  # workers that can read a root-owned temporary folder
    (folder / "nginx.conf").write_text(f"""
{user}
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    include /etc/nginx/mime.types;
    keepalive_requests 10000;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        include {folder}/ocop-locations.conf;
    }}
}}
""")
    return subprocess.Popen(  # noqa: S603 - Debian's nginx with the config written above
        [NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
