#!/usr/bin/perl
# make-geoip-test.pl - writes the two tiny MaxMind DB files test_geoip.c reads:
#   geoip-test-city.mmdb     GeoLite2-City schema (+ the ASN database's fields)
#   geoip-test-country.mmdb  ip-location-db schema (country_code only)
# The records are made up for the tests (ranges as in MaxMind's own test data).
# Needs libmaxmind-db-writer-perl.  Run: perl tests/data/make-geoip-test.pl [DIR]
use strict;
use warnings;
use utf8;
use MaxMind::DB::Writer::Tree;

my $dir = shift // ($0 =~ m{^(.*)/} ? $1 : '.');

my %types = (
	city => 'map', continent => 'map', country => 'map', registered_country => 'map',
	location => 'map', subdivisions => [ 'array', 'map' ], names => 'map',
	en => 'utf8_string', code => 'utf8_string', iso_code => 'utf8_string',
	geoname_id => 'uint32', time_zone => 'utf8_string',
	latitude => 'double', longitude => 'double',
	autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string',
	country_code => 'utf8_string',
);

sub tree {
	my ($type) = @_;
	return MaxMind::DB::Writer::Tree->new(
		ip_version => 6, record_size => 24, database_type => $type,
		languages => ['en'], description => { en => "wirelab test database ($type)" },
		map_key_type_callback => sub { $types{ $_[0] } // die "no type for $_[0]" },
		remove_reserved_networks => 0,
	);
}

sub place {
	my (%p) = @_;
	return {
		continent => { code => $p{cc}, names => { en => $p{continent} } },
		country => { iso_code => $p{iso}, names => { en => $p{country} } },
		subdivisions => [ { names => { en => $p{region} } } ],
		city => { names => { en => $p{city} } },
		location => { time_zone => $p{tz}, latitude => $p{lat}, longitude => $p{lon} },
		autonomous_system_number => $p{asn},
		autonomous_system_organization => $p{org},
	};
}

my $city = tree('wirelab-Test-City');
$city->insert_network('81.2.69.0/24', place(cc => 'EU', continent => 'Europe', iso => 'GB',
	country => 'United Kingdom', region => 'England', city => 'London', tz => 'Europe/London',
	lat => 51.5142, lon => -0.0931, asn => 20712, org => 'Andrews & Arnold Ltd'));
$city->insert_network('89.160.20.112/28', place(cc => 'EU', continent => 'Europe', iso => 'SE',
	country => 'Sweden', region => 'Östergötland County', city => 'Linköping',
	tz => 'Europe/Stockholm', lat => 58.4167, lon => 15.6167, asn => 29518, org => 'Bredband2 AB'));
$city->insert_network('2001:218::/32', place(cc => 'AS', continent => 'Asia', iso => 'JP',
	country => 'Japan', region => 'Tokyo', city => 'Tokyo', tz => 'Asia/Tokyo',
	lat => 35.685, lon => 139.7514, asn => 2914, org => 'NTT America, Inc.'));

my $country = tree('ipinfo country ipvAll');
$country->insert_network('1.0.0.0/24', { country_code => 'AU' });
$country->insert_network('81.2.69.0/24', { country_code => 'GB' });
$country->insert_network('2001:218::/32', { country_code => 'JP' });

for ([ $city, 'geoip-test-city.mmdb' ], [ $country, 'geoip-test-country.mmdb' ]) {
	my ($t, $name) = @$_;
	open(my $fh, '>:raw', "$dir/$name") or die "$dir/$name: $!";
	$t->write_tree($fh);
	close $fh or die "$dir/$name: $!";
	print "wrote $dir/$name\n";
}
