/* ssh_lab.h - what the lab's sshd (srv_ssh.c) and the SSH exchanges (ssh.c)
 * agree on: the account, its password, and the files under <state>/ssh/. */
#ifndef WL_SSH_LAB_H
#define WL_SSH_LAB_H

#define WL_SSH_PORT 2222
#define WL_SSH_USER "labssh"            /* a lab-only account, AllowUsers'd */
#define WL_SSH_PASSWORD "wirelab-ssh-lab"
#define WL_SSH_CLIENT_KEY "client_ed25519"   /* its .pub is the authorized key */
#define WL_SSH_KNOWN_HOSTS "known_hosts"     /* the pinned host keys */
#define WL_SSH_HOME "home"                   /* the account's home directory */
#define WL_SSH_FILE "lab-file.bin"           /* what sftp-get downloads */
#define WL_SSH_FILE_SIZE (192u * 1024u)

#endif
