#!/usr/bin/perl
# make-geoip-annot.pl - writes tests/data/annot/geoip-annot.mmdb, a tiny MaxMind DB with
# made-up entries for the geoip tests (no real GeoIP data is redistributed):
#   8.8.8.0/24       US, Mountain View, AS15169 GOOGLE
#   2001:4860::/32   US, AS15169 GOOGLE
#   1.1.1.0/24       AU (country only)
# Run: perl tests/data/annot/make-geoip-annot.pl tests/data/annot/geoip-annot.mmdb
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my %types = (
    country => 'map', iso_code => 'utf8_string', city => 'map', names => 'map',
    en => 'utf8_string', autonomous_system_number => 'uint32',
    autonomous_system_organization => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version => 6, record_size => 24, database_type => 'wirelab-test',
    languages => ['en'], description => { en => 'wirelab test data' },
    map_key_type_callback => sub { $types{ $_[0] } },
);
$tree->insert_network('8.8.8.0/24', {
    country => { iso_code => 'US' }, city => { names => { en => 'Mountain View' } },
    autonomous_system_number => 15169, autonomous_system_organization => 'GOOGLE' });
$tree->insert_network('2001:4860::/32', {
    country => { iso_code => 'US' },
    autonomous_system_number => 15169, autonomous_system_organization => 'GOOGLE' });
$tree->insert_network('1.1.1.0/24', { country => { iso_code => 'AU' } });
open my $fh, '>:raw', $ARGV[0] or die "$ARGV[0]: $!";
$tree->write_tree($fh);
close $fh;
