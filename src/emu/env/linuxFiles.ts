// The file descriptors of a Linux guest: 0/1/2 are the console; files exist only when the launch
// allowed them (read-only, in memory: the guest never reaches a host file by itself). Imports nothing
// but the errno values.
import { EACCES, EBADF, EINVAL, ENOENT, ESPIPE } from './linuxAbi';

/** What an open descriptor refers to. */
export type Descriptor =
  | { kind: 'stdin' }
  | { kind: 'stdout' }
  | { kind: 'stderr' }
  | { kind: 'file'; path: string; data: Uint8Array; position: number };

/** A descriptor table with the three standard streams open. */
export class FileTable {
  private readonly fds = new Map<number, Descriptor>([[0, { kind: 'stdin' }], [1, { kind: 'stdout' }], [2, { kind: 'stderr' }]]);

  /** @param files path → contents of the files the guest may open (read-only). */
  constructor(private readonly files: ReadonlyMap<string, Uint8Array> = new Map()) {}

  get(fd: number): Descriptor | undefined {
    return this.fds.get(fd);
  }

  /** open(2) with O_RDONLY only; any write access is refused with EACCES. Returns fd or −errno. */
  open(path: string, flags: number): number {
    const data = this.files.get(path);
    if (data === undefined) return -ENOENT;
    if ((flags & 3) !== 0) return -EACCES;
    let fd = 0;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, { kind: 'file', path, data, position: 0 });
    return fd;
  }

  close(fd: number): number {
    return this.fds.delete(fd) ? 0 : -EBADF;
  }

  /** lseek(2): SEEK_SET 0, SEEK_CUR 1, SEEK_END 2 on files; the console cannot seek. */
  seek(fd: number, offset: number, whence: number): number {
    const d = this.fds.get(fd);
    if (!d) return -EBADF;
    if (d.kind !== 'file') return -ESPIPE;
    const base = whence === 0 ? 0 : whence === 1 ? d.position : whence === 2 ? d.data.length : NaN;
    const pos = base + offset;
    if (!Number.isFinite(pos) || pos < 0) return -EINVAL;
    d.position = pos;
    return pos;
  }
}
