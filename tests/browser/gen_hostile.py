#!/usr/bin/env python3
"""gen_hostile.py OUT.pcap [N] - a capture whose packet strings try to run script
in wirelab's -T html page: an FTP USER <img src=x onerror=...>, a greeting
with </script>, a DNS query for a name holding </script><img ...>, an SMB2
CREATE of a file name with quotes and markup (UTF-16), and U+2028 in a
reply; with N, first a long FTP session of N NOOPs. Every string must come out escaped: the page's DOM must hold no
element the packets describe and its title must stay its own."""
import struct
import sys

INJECT = b'<img src=x onerror="document.title=\'pwned\'" id=pwned>'


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0,
                    bytes(src), bytes(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def eth(ip):
    return b'\x02\0\0\0\0\x02' + b'\x02\0\0\0\0\x01' + b'\x08\x00' + ip


class Tcp:
    def __init__(self, frames, cport, sport):
        self.frames, self.port = frames, (cport, sport)
        self.seq = [1000, 5000]
        self.addr = ([10, 0, 0, 1], [10, 0, 0, 2])

    def seg(self, d, flags, data=b''):
        sp, dp = self.port[d], self.port[1 - d]
        ack = self.seq[1 - d]
        h = struct.pack('!HHIIBBHHH', sp, dp, self.seq[d], ack, 5 << 4, flags, 65535, 0, 0)
        self.frames.append(eth(ipv4(self.addr[d], self.addr[1 - d], 6, h + data)))
        self.seq[d] += len(data) + (1 if flags & 0x03 else 0)

    def open(self):
        self.seg(0, 0x02)
        self.seg(1, 0x12)
        self.seg(0, 0x10)

    def send(self, d, data):
        self.seg(d, 0x18, data)

    def close(self):
        self.seg(0, 0x11)
        self.seg(1, 0x11)
        self.seg(0, 0x10)


def dns_query(name_labels):
    q = struct.pack('!HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0)
    for l in name_labels:
        q += bytes([len(l)]) + l
    q += b'\0' + struct.pack('!HH', 1, 1)
    return q


def smb2_create(name):
    u = name.encode('utf-16-le')
    hdr = (b'\xfeSMB' + struct.pack('<HHIHHIIQIIQ16s', 64, 0, 0, 5, 1, 0, 0, 0, 7, 0x11, 0x22, b'\0' * 16))
    body = struct.pack('<HBBIQQIIIIIHHII', 57, 0, 0, 2, 0, 0, 0x80, 0, 7, 1, 0,
                       64 + 56, len(u), 0, 0) + u
    msg = hdr + body
    return struct.pack('!I', len(msg)) + msg


def main():
    frames = []
    many = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if many:  # a long FTP session (N command/reply pairs) for the virtualised view
        big = Tcp(frames, 39999, 21)
        big.open()
        for i in range(many):
            big.send(0, b'NOOP\r\n')
            big.send(1, b'200 NOOP ok %d\r\n' % i)
        big.close()
    ftp = Tcp(frames, 40000, 21)
    ftp.open()
    ftp.send(1, b'220 </script><script>document.title="pwned"</script> \xe2\x80\xa8 ready\r\n')
    ftp.send(0, b'USER ' + INJECT + b'\r\n')
    ftp.send(1, b'331 Password for "' + INJECT + b'" &amp; \'quote\'\r\n')
    ftp.send(0, b'PASS </script><!--' + INJECT + b'\r\n')
    ftp.send(1, b'530 <b>no</b>\r\n')
    ftp.close()
    dns = dns_query([b'</script>', INJECT[:60], b'example', b'com'])
    udp = struct.pack('!HHHH', 53000, 53, 8 + len(dns), 0) + dns
    frames.append(eth(ipv4([10, 0, 0, 1], [10, 0, 0, 3], 17, udp)))
    smb = Tcp(frames, 40001, 445)
    smb.open()
    smb.send(0, smb2_create('a"b\'c<img src=x onerror=alert(1)>.txt'))
    smb.close()
    with open(sys.argv[1], 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', 1700000000, i * 1000, len(fr), len(fr)) + fr)


if __name__ == '__main__':
    main()
